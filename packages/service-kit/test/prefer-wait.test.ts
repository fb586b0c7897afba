/** Reading `Prefer: wait` (RFC 7240): the number of seconds, capped; anything else is no preference. */
import { MAX_WAIT_SECONDS, preferredWaitSeconds } from '../src/prefer-wait';

describe('preferredWaitSeconds', () => {
  it.each([
    ['wait=5', 5],
    ['respond-async, wait=10', 10],
    ['WAIT = "7"', 7],
    [['return=minimal', 'wait=3'], 3],
    [`wait=${MAX_WAIT_SECONDS * 10}`, MAX_WAIT_SECONDS],
    ['wait=0', 0],
  ] as const)('reads %j as %d seconds', (header, seconds) => {
    expect(preferredWaitSeconds(header as string | string[])).toBe(seconds);
  });

  it.each([undefined, '', 'wait=soon', 'wait=-1', 'wait=1.5', 'respond-async'])('ignores %j', (header) => {
    expect(preferredWaitSeconds(header)).toBeUndefined();
  });
});
