/** A saga instance as the API shows it: its state and step log, without its internal data or lease. */
import type { SagaInstanceWithLog } from '@shop/saga';

export function sagaView(saga: SagaInstanceWithLog) {
  const { data: _data, lease: _lease, steps, ...visible } = saga;
  return { ...visible, steps: [...steps] };
}
