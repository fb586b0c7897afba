/** The replica chaos plan: the chaos suite's faults, order kills alternating between replicas, one per participant. */
import { replicaChaosPlan } from '../src/replicas/replica-chaos-plan';
import { seededRandom } from '../src/seeded-random';

describe('replica chaos plan', () => {
  const plan = () => replicaChaosPlan(seededRandom(42), { durationMs: 20_000, orderKills: 3 });

  it('kills order#0, order#1, order#0 and one replica of each participant, in time order, within the run', () => {
    const { kills } = plan();
    expect(kills.filter((k) => k.service === 'order').map((k) => k.index)).toEqual([0, 1, 0]);
    expect(
      kills
        .filter((k) => k.service !== 'order')
        .map((k) => k.service)
        .sort(),
    ).toEqual(['inventory', 'payment', 'shipping']);
    expect(kills.map((k) => k.atMs)).toEqual([...kills.map((k) => k.atMs)].sort((a, b) => a - b));
    for (const kill of kills) expect(kill.atMs).toBeLessThan(20_000);
  });

  it('is the same plan for the same seed', () => {
    expect(plan()).toEqual(plan());
  });
});
