/**
 * Fault switches, like the OpenTelemetry demo's flags: each switch is a group of radio buttons (one position at a
 * time), with what to expect beside each position. The position shown is what the service reports, not what was
 * last clicked.
 */
import { useState } from 'react';
import type { FaultSwitch, Snapshot } from '../../shared/console-api';
import { api, errorText } from '../api';

function Switch({ fault }: { fault: FaultSwitch }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<string>();
  const current = fault.current.ok ? fault.current.value : undefined;
  const choose = async (mode: string) => {
    setPending(mode);
    try {
      await api(`/api/faults/${fault.id}`, { method: 'PUT', body: { mode } });
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setPending(undefined);
    }
  };
  return (
    <fieldset className="card switch" disabled={!fault.current.ok}>
      <legend>{fault.label}</legend>
      {!fault.current.ok && <p className="error">{fault.current.error}</p>}
      {current === 'custom' && <p className="notice">Rules set elsewhere (a scenario, or by hand) are active.</p>}
      {fault.modes.map((mode) => {
        const id = `fault-${fault.id}-${mode.id}`;
        return (
          <div key={mode.id} className={`mode${current === mode.id ? ' active' : ''}`}>
            <input
              type="radio"
              id={id}
              name={`fault-${fault.id}`}
              checked={(pending ?? current) === mode.id}
              onChange={() => void choose(mode.id)}
              aria-describedby={`${id}-effect`}
            />
            <label htmlFor={id}>{mode.label}</label>
            <p id={`${id}-effect`} className="effect">
              {mode.expectedEffect}
            </p>
          </div>
        );
      })}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function FaultSwitches({ snapshot }: { snapshot: Snapshot | undefined }) {
  return (
    <section aria-labelledby="faults-title">
      <h2 id="faults-title">Fault switches</h2>
      <p className="lesson">
        Break something on purpose, then watch the service map, the saga timeline and the queues react. Put every switch
        back to its first position to heal the system.
      </p>
      {!snapshot && <p>Waiting for the first snapshot…</p>}
      <div className="columns">
        {snapshot?.faults.map((fault) => (
          <Switch key={fault.id} fault={fault} />
        ))}
      </div>
    </section>
  );
}
