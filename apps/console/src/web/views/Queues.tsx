/**
 * The queues SQS holds for the consumers: waiting, in flight (a consumer holds them), delayed (retry backoff), and
 * each dead-letter queue. A dead letter shows its body and the reason it was parked; "Redrive" moves it back once
 * the cause is fixed. "Send a poison message" makes one on purpose, to watch the consumer park it at once.
 */
import { useState } from 'react';
import type { DeadLetterView, Snapshot } from '../../shared/console-api';
import { api, errorText } from '../api';

function DeadLetters({ queue, depth }: { queue: string; depth: number }) {
  const [letters, setLetters] = useState<DeadLetterView[]>();
  const [note, setNote] = useState<string>();
  const load = async () => {
    try {
      const { body } = await api<{ deadLetters: DeadLetterView[] }>(`/api/queues/${queue}/dead-letters`);
      setLetters(body.deadLetters);
    } catch (error) {
      setNote(errorText(error));
    }
  };
  const redrive = async (messageIds?: string[]) => {
    try {
      const { body } = await api<{ moved: number }>(`/api/queues/${queue}/dead-letters/redrive`, {
        body: messageIds ? { messageIds } : {},
      });
      setNote(
        `Moved ${body.moved} message(s) back to ${queue}. A message that still cannot be handled comes back here.`,
      );
      setLetters(undefined);
    } catch (error) {
      setNote(errorText(error));
    }
  };
  return (
    <div className="dead-letters">
      <button type="button" onClick={() => void load()} aria-label={`Show the dead letters of ${queue}`}>
        Show dead letters ({depth})
      </button>
      {depth > 0 && (
        <button type="button" onClick={() => void redrive()} aria-label={`Redrive every dead letter of ${queue}`}>
          Redrive all
        </button>
      )}
      {note && (
        <p role="status" className="notice">
          {note}
        </p>
      )}
      {letters && letters.length === 0 && <p className="muted">{queue}-dlq is empty.</p>}
      {letters && letters.length > 0 && (
        <ul className="letters">
          {letters.map((letter) => (
            <li key={letter.messageId} data-testid="dead-letter">
              <p>
                <strong>{letter.eventType ?? 'unreadable message'}</strong>{' '}
                <span className="muted small">
                  {letter.messageId} · received {letter.receiveCount}×
                </span>
              </p>
              <p>
                <span className="label">Reason:</span>{' '}
                <span data-testid="dead-letter-reason">
                  {letter.reason ?? `failed ${letter.receiveCount - 1} times (maxReceiveCount reached)`}
                </span>
              </p>
              <pre className="body" tabIndex={0} aria-label="Message body">
                {letter.body}
              </pre>
              <button
                type="button"
                onClick={() => void redrive([letter.messageId])}
                aria-label={`Redrive message ${letter.messageId}`}
              >
                Redrive
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Queues({ snapshot }: { snapshot: Snapshot | undefined }) {
  const [sent, setSent] = useState<string>();
  const queues = snapshot?.queues;
  const poison = async (queue: string) => {
    try {
      await api(`/api/queues/${queue}/poison`, { method: 'POST' });
      setSent(`Sent a malformed OrderPlaced to ${queue}: its consumer will dead-letter it on the first receive.`);
    } catch (error) {
      setSent(errorText(error));
    }
  };
  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">Queues</h2>
      <p className="lesson">
        A consumer owns one queue and its dead-letter queue. A message that can never be handled is parked there with
        its reason, instead of blocking the queue or looping forever.
      </p>
      {sent && (
        <p className="notice" role="status">
          {sent}
        </p>
      )}
      {!queues && <p>Waiting for the first snapshot…</p>}
      {queues && !queues.ok && <p className="error">{queues.error}</p>}
      {queues?.ok && (
        <div className="columns">
          {queues.value.map((depth) => (
            <article
              key={depth.queue}
              className="card"
              aria-labelledby={`queue-${depth.queue}`}
              data-queue={depth.queue}
            >
              <h3 id={`queue-${depth.queue}`} className="mono">
                {depth.queue}
              </h3>
              <dl className="figures">
                <dt>waiting</dt>
                <dd>{depth.visible}</dd>
                <dt>in flight</dt>
                <dd>{depth.inFlight}</dd>
                <dt>delayed (retry)</dt>
                <dd>{depth.delayed}</dd>
                <dt>dead letters</dt>
                <dd data-testid={`dlq-depth-${depth.queue}`}>{depth.deadLetters.visible}</dd>
              </dl>
              <button
                type="button"
                onClick={() => void poison(depth.queue)}
                aria-label={`Send a poison message to ${depth.queue}`}
              >
                Send a poison message
              </button>
              <DeadLetters queue={depth.queue} depth={depth.deadLetters.visible} />
            </article>
          ))}
        </div>
      )}
    </section>
  );
}
