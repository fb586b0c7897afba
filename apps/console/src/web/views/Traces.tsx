/**
 * One request's trace as a waterfall across services: each span a bar placed at its start and as long as it took,
 * nested under its parent — the REST hops, the saga steps and the queue hops (publish → process) in one picture.
 */
import { useEffect, useState } from 'react';
import type { Snapshot, TraceSource, TraceSpan, TraceSummary } from '../../shared/console-api';
import { api, errorText } from '../api';
import { millis, shortId } from '../format';
import { linkTo } from '../navigation';

interface Row {
  span: TraceSpan;
  depth: number;
}

/** Database query spans (on Postgres, a dozen per step): hidden unless asked for, their children kept. */
const isQuery = (span: TraceSpan) => span.name.startsWith('pg.') || span.name.startsWith('pg-pool.');
const MAX_ROWS = 400;

/** Parents before children, siblings by start time; spans whose parent never arrived start a branch of their own. */
function rowsOf(spans: TraceSpan[], showQueries: boolean): Row[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const rows: Row[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) => a.startTimeMs - b.startTimeMs)) {
      if (!showQueries && isQuery(span)) {
        visit(span.spanId, depth);
        continue;
      }
      rows.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return rows;
}

function Waterfall({ traceId, tick }: { traceId: string; tick?: string }) {
  const [spans, setSpans] = useState<TraceSpan[]>([]);
  const [error, setError] = useState<string>();
  const [showQueries, setShowQueries] = useState(false);
  useEffect(() => {
    let current = true;
    api<{ spans: TraceSpan[] }>(`/api/traces/${traceId}`).then(
      ({ body }) => current && setSpans(body.spans),
      (failure: unknown) => current && setError(errorText(failure)),
    );
    return () => {
      current = false;
    };
  }, [traceId, tick]);
  if (error) return <p className="error">{error}</p>;
  if (spans.length === 0) return <p>No spans of this trace yet: each service exports its spans in batches.</p>;
  const start = Math.min(...spans.map((span) => span.startTimeMs));
  const end = Math.max(...spans.map((span) => span.startTimeMs + span.durationMs));
  const total = Math.max(1, end - start);
  const services = new Set(spans.map((span) => span.service));
  const rows = rowsOf(spans, showQueries);
  return (
    <figure className="card waterfall" aria-labelledby="waterfall-title">
      <figcaption id="waterfall-title">
        Trace <span className="mono">{shortId(traceId)}</span>: {spans.length} spans across {services.size} services,{' '}
        {millis(total)}
      </figcaption>
      <div className="row">
        <input
          type="checkbox"
          id="show-queries"
          checked={showQueries}
          onChange={(event) => setShowQueries(event.target.checked)}
        />
        <label htmlFor="show-queries">Show database queries</label>
        {rows.length > MAX_ROWS && (
          <span className="muted small">
            showing the first {MAX_ROWS} of {rows.length} spans
          </span>
        )}
      </div>
      <ol className="spans">
        {rows.slice(0, MAX_ROWS).map(({ span, depth }) => (
          <li
            key={span.spanId}
            className={`span kind-${span.kind}${span.error ? ' failed' : ''}`}
            data-service={span.service}
          >
            <span className="span-label" style={{ paddingLeft: `${depth * 0.9}rem` }}>
              <span className="service">{span.service}</span> {span.name}
              {span.error && <span className="error"> — {span.error}</span>}
            </span>
            <span className="span-track" aria-hidden="true">
              <span
                className="span-bar"
                style={{
                  left: `${((span.startTimeMs - start) / total) * 100}%`,
                  width: `${Math.max(0.4, (span.durationMs / total) * 100)}%`,
                }}
              />
            </span>
            <span className="span-time">
              {span.kind} · {millis(span.durationMs)}
            </span>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export function Traces({ snapshot, traceId }: { snapshot: Snapshot | undefined; traceId?: string }) {
  const [source, setSource] = useState<TraceSource>();
  const [traces, setTraces] = useState<TraceSummary[]>([]);
  const tick = snapshot?.at;
  useEffect(() => {
    let current = true;
    api<{ source: TraceSource; traces: TraceSummary[] }>('/api/traces').then(
      ({ body }) => current && (setSource(body.source), setTraces(body.traces)),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [tick]);

  return (
    <section aria-labelledby="traces-title">
      <h2 id="traces-title">Traces</h2>
      <p className="lesson">
        One trace follows a request across REST calls and queues: the gateway, the order service and its saga steps, the
        participants, and the consumers of the events it published.
      </p>
      {source && !source.collector && (
        <p className="card">
          Traces are in Jaeger here:{' '}
          {source.jaegerUrl ? (
            <a href={traceId ? `${source.jaegerUrl}/trace/${traceId}` : source.jaegerUrl}>
              {traceId ? `open trace ${shortId(traceId)} in Jaeger` : 'open Jaeger'}
            </a>
          ) : (
            'set JAEGER_UI_URL to link to it'
          )}
          .
        </p>
      )}
      <div className="columns">
        {source?.collector && (
          <div className="card">
            <h3>Recent traces</h3>
            <ul className="trace-list">
              {traces.map((trace) => (
                <li key={trace.traceId}>
                  <a
                    href={linkTo('traces', trace.traceId)}
                    aria-current={trace.traceId === traceId ? 'true' : undefined}
                  >
                    {trace.root ?? 'trace'} <span className="mono small">{shortId(trace.traceId)}</span>
                  </a>
                  <span className="muted small">
                    {' '}
                    {trace.spans} spans · {trace.services.length} services
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="wide">
          {source?.collector && traceId && <Waterfall traceId={traceId} tick={tick} />}
          {source?.collector && !traceId && <p className="muted">Pick a trace, or open one from a saga timeline.</p>}
        </div>
      </div>
    </section>
  );
}
