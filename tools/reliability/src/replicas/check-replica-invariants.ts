/**
 * The promises replicas add to the chaos suite's, checked on what the databases recorded (pure, unit-tested):
 *
 * 1. no saga step ran in two processes at once: per saga, attempts made by different lease owners never overlap in
 *    time — an attempt lasts from its start to its finish or, cut off by a crash, to the end of the lease it held;
 * 2. each event was handled once per consumer group: no event twice in one consumer's inbox, and every published
 *    event of a subscribed type in the inbox of every consumer that subscribes to it.
 */
import type { Topology } from '@shop/contracts';
import type { InvariantReport } from '../invariants/check-invariants';
import type { ReplicaEvidence, StepAttempt } from './replica-evidence';

/** `ownerName` turns a lease owner into what the report shows (e.g. `order#1 (pid 123)`). */
export function checkReplicaInvariants(
  evidence: ReplicaEvidence,
  topology: Pick<Topology, 'consumers'>,
  ownerName: (owner: string) => string = (owner) => owner,
): InvariantReport {
  const violations: string[] = [];
  const bySaga = new Map<string, StepAttempt[]>();
  for (const attempt of evidence.attempts) bySaga.set(attempt.sagaId, [...(bySaga.get(attempt.sagaId) ?? []), attempt]);

  const attemptsByOwner = new Map<string, number>();
  let handedOver = 0;
  let cutOff = 0;
  for (const [sagaId, attempts] of bySaga) {
    if (new Set(attempts.map((a) => a.owner)).size > 1) handedOver += 1;
    for (const attempt of attempts) {
      const owner = attempt.owner === null ? '(no owner)' : ownerName(attempt.owner);
      attemptsByOwner.set(owner, (attemptsByOwner.get(owner) ?? 0) + 1);
      if (attempt.finishedAt === null) cutOff += 1;
      if (attempt.owner === null || attempt.leaseUntil === null)
        violations.push(`saga ${sagaId}: ${describe(attempt)} records no lease owner`);
    }
    for (const [a, b] of overlappingPairs(attempts)) {
      violations.push(
        `saga ${sagaId}: ${describe(a)} on ${ownerName(a.owner!)} overlaps ${describe(b)} on ${ownerName(b.owner!)}`,
      );
    }
  }

  const seen = new Map<string, number>();
  for (const { consumer, eventId } of evidence.inbox)
    seen.set(`${consumer}/${eventId}`, (seen.get(`${consumer}/${eventId}`) ?? 0) + 1);
  for (const [key, count] of seen) if (count > 1) violations.push(`inbox ${key} recorded ${count} times`);

  const handledRows: [string, string][] = [];
  for (const [consumer, spec] of Object.entries(topology.consumers)) {
    const wanted = evidence.outbox.filter(
      (row) => row.published && (spec.subscribes[row.producer] ?? []).includes(row.eventType),
    );
    const missing = wanted.filter((row) => !seen.has(`${consumer}/${row.eventId}`));
    for (const row of missing)
      violations.push(`${consumer} never handled ${row.eventType} ${row.eventId} (published by ${row.producer})`);
    handledRows.push([
      `${consumer}: published events it subscribes to, handled`,
      `${wanted.length - missing.length}/${wanted.length}`,
    ]);
  }

  return {
    counts: [
      {
        section: 'saga steps across replicas (step log)',
        rows: [
          ...[...attemptsByOwner].sort().map(([owner, n]): [string, number] => [`attempts by ${owner}`, n]),
          ['sagas whose steps ran on more than one process', handedOver],
          ['attempts cut off by a crash (no outcome recorded)', cutOff],
          ['overlapping attempts on different processes', violations.filter((v) => v.includes(' overlaps ')).length],
        ],
      },
      {
        section: 'events per consumer group (inboxes)',
        rows: [
          ...handledRows,
          ['inbox entries recorded more than once', [...seen.values()].filter((n) => n > 1).length],
        ],
      },
    ],
    violations,
  };
}

/** An attempt's time on its process: to its finish, or to the end of its lease when it never finished. */
const endOf = (attempt: StepAttempt) => attempt.finishedAt ?? attempt.leaseUntil ?? Number.POSITIVE_INFINITY;

function overlappingPairs(attempts: readonly StepAttempt[]): [StepAttempt, StepAttempt][] {
  const sorted = [...attempts].sort((a, b) => a.startedAt - b.startedAt);
  const pairs: [StepAttempt, StepAttempt][] = [];
  sorted.forEach((a, i) => {
    for (const b of sorted.slice(i + 1)) {
      if (b.startedAt >= endOf(a)) break;
      if (a.owner !== b.owner) pairs.push([a, b]);
    }
  });
  return pairs;
}

const describe = (a: StepAttempt) => `${a.action} ${a.step} attempt ${a.attempt}`;
