/**
 * One order's checkout saga as a timeline: the definition's steps in order (the pivot marked), and under each every
 * attempt — invoke or compensate, its idempotency key, outcome, duration, and the wait before it (backoff, or a
 * crash: an attempt that never finished, then the same key again). NEEDS_ATTENTION gets a "Retry" button.
 */
import { useEffect, useState } from 'react';
import type { SagaDetail, SagaStepAttempt, Snapshot } from '../../shared/console-api';
import { api, errorText } from '../api';
import { between, millis, shortId } from '../format';
import { linkTo } from '../navigation';

const KIND_NOTE = {
  compensatable: 'can be undone',
  pivot: 'the pivot: no way back once it succeeds',
  retriable: 'retried until it succeeds',
} as const;

function AttemptRow({
  attempt,
  previous,
  sagaMovedOn,
}: {
  attempt: SagaStepAttempt;
  previous?: SagaStepAttempt;
  sagaMovedOn: boolean;
}) {
  const cutOff = !attempt.finishedAt && sagaMovedOn;
  const waited = previous?.finishedAt ? between(previous.finishedAt, attempt.startedAt) : undefined;
  return (
    <li className={`attempt attempt-${attempt.action} outcome-${attempt.outcome ?? (cutOff ? 'cut-off' : 'running')}`}>
      {waited !== undefined && waited > 150 && <span className="gap">waited {millis(waited)} before this attempt</span>}
      <span className="what">
        {attempt.action === 'compensate' ? '↶ compensate' : '→ invoke'} #{attempt.attempt}
      </span>{' '}
      <span className="outcome">
        {attempt.outcome ?? (cutOff ? 'cut off — the process died mid-call' : 'running…')}
      </span>{' '}
      {attempt.finishedAt && <span className="muted">{millis(between(attempt.startedAt, attempt.finishedAt))}</span>}
      <div className="mono small">key {attempt.idempotencyKey}</div>
      {attempt.error && <div className="error small">{attempt.error}</div>}
    </li>
  );
}

function Timeline({ saga, onRetried }: { saga: SagaDetail; onRetried: () => void }) {
  const [retryError, setRetryError] = useState<string>();
  const retry = async () => {
    try {
      await api(`/api/sagas/${saga.id}/retry`, { method: 'POST' });
      setRetryError(undefined);
      onRetried();
    } catch (error) {
      setRetryError(errorText(error));
    }
  };
  return (
    <article aria-labelledby="saga-title" className="card">
      <h3 id="saga-title">
        Saga <span className="mono">{shortId(saga.id)}</span>:{' '}
        <span className={`state state-${saga.state.toLowerCase()}`} data-testid="saga-state">
          {saga.state}
        </span>
      </h3>
      <p className="muted">
        started {new Date(saga.createdAt).toLocaleTimeString()}
        {saga.currentStep ? ` · now at ${saga.currentStep}` : ''}
        {saga.nextAttemptAt ? ` · next attempt ${new Date(saga.nextAttemptAt).toLocaleTimeString()}` : ''}
        {saga.failureReason ? ` · compensated because: ${saga.failureReason}` : ''}
      </p>
      {saga.attention && (
        <div className="attention" role="alert">
          <p>
            <strong>Needs attention:</strong> {saga.attention.reason}. Fix the cause, then retry: it resumes as{' '}
            {saga.attention.resumesAs} with a fresh attempt budget.
          </p>
          <button type="button" onClick={() => void retry()}>
            Retry saga
          </button>
          {retryError && <p className="error">{retryError}</p>}
        </div>
      )}
      {saga.traceId && (
        <p>
          <a href={linkTo('traces', saga.traceId)}>Open the trace of this order</a>
        </p>
      )}
      <ol className="steps">
        {saga.definition.map((step, index) => {
          const attempts = saga.steps.filter((attempt) => attempt.step === step.name);
          return (
            <li key={step.name} className={`step kind-${step.kind}`}>
              <h4>
                {index + 1}. {step.name} <span className={`kind kind-${step.kind}`}>{step.kind}</span>
              </h4>
              <p className="muted small">{KIND_NOTE[step.kind]}</p>
              {attempts.length === 0 ? (
                <p className="muted small">not run</p>
              ) : (
                <ol className="attempts">
                  {attempts.map((attempt, i) => (
                    <AttemptRow
                      key={`${attempt.action}-${attempt.attempt}-${attempt.startedAt}`}
                      attempt={attempt}
                      previous={attempts[i - 1]}
                      sagaMovedOn={
                        saga.steps.indexOf(attempt) < saga.steps.length - 1 ||
                        !['RUNNING', 'COMPENSATING'].includes(saga.state)
                      }
                    />
                  ))}
                </ol>
              )}
            </li>
          );
        })}
      </ol>
    </article>
  );
}

export function SagaTimeline({ snapshot, sagaId }: { snapshot: Snapshot | undefined; sagaId?: string }) {
  const [saga, setSaga] = useState<SagaDetail>();
  const [error, setError] = useState<string>();
  const sagas = snapshot?.sagas;
  const tick = snapshot?.at;

  useEffect(() => {
    if (!sagaId) return setSaga(undefined);
    let current = true;
    api<SagaDetail>(`/api/sagas/${encodeURIComponent(sagaId)}`).then(
      ({ body }) => current && (setSaga(body), setError(undefined)),
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [sagaId, tick]);

  return (
    <section aria-labelledby="sagas-title">
      <h2 id="sagas-title">Saga timeline</h2>
      <p className="lesson">
        Reserve stock (compensatable) → take payment (the pivot) → create the shipment → confirm: each step is persisted
        with its attempts, so a crash resumes with the same idempotency keys.
      </p>
      <div className="columns">
        <div className="card">
          <h3>Recent checkouts</h3>
          {!sagas && <p>Waiting for the first snapshot…</p>}
          {sagas && !sagas.ok && <p className="error">{sagas.error}</p>}
          {sagas?.ok && sagas.value.length === 0 && (
            <p className="muted">No orders yet: place one in the storefront.</p>
          )}
          {sagas?.ok && (
            <ul className="saga-list">
              {sagas.value.map((summary) => (
                <li key={summary.id}>
                  <a href={linkTo('sagas', summary.id)} aria-current={summary.id === sagaId ? 'true' : undefined}>
                    <span className="mono">{shortId(summary.id)}</span>
                  </a>{' '}
                  <span className={`state state-${summary.state.toLowerCase()}`}>{summary.state}</span>
                  {summary.currentStep && <span className="muted"> at {summary.currentStep}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="wide">
          {!sagaId && <p className="muted">Pick a checkout to see its timeline.</p>}
          {error && <p className="error">{error}</p>}
          {saga && saga.id === sagaId && (
            <Timeline saga={saga} onRetried={() => setSaga({ ...saga, attention: undefined })} />
          )}
        </div>
      </div>
    </section>
  );
}
