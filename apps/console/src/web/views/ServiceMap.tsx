/**
 * The system as a map: six services and the broker; REST calls as solid arrows coloured by the caller's circuit
 * breaker (closed / half-open / open) with its recent failure rate; SNS → SQS subscriptions as dashed arrows through
 * the broker. The tables under it say the same in words, for screen readers and for reading exact numbers.
 */
import { useEffect, useState } from 'react';
import type { Breaker, ServiceName, Snapshot, SystemMap } from '../../shared/console-api';
import { api } from '../api';
import { percent } from '../format';

const POSITION: Record<ServiceName | 'broker', { x: number; y: number }> = {
  gateway: { x: 450, y: 50 },
  user: { x: 130, y: 170 },
  order: { x: 450, y: 170 },
  inventory: { x: 770, y: 170 },
  payment: { x: 560, y: 300 },
  shipping: { x: 790, y: 300 },
  broker: { x: 250, y: 330 },
};
const NODE = { width: 150, height: 44 };

function breakerOf(snapshot: Snapshot | undefined, owner: 'gateway' | 'order', name: string): Breaker | undefined {
  const reading = snapshot?.breakers[owner];
  return reading?.ok ? reading.value.find((breaker) => breaker.name === name) : undefined;
}

/** Where the line from a to b leaves a's box (so arrows start and end at the edges, not the centres). */
function edgePoint(from: { x: number; y: number }, to: { x: number; y: number }) {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const scale = Math.min(NODE.width / 2 / Math.abs(dx || 1), NODE.height / 2 / Math.abs(dy || 1));
  return { x: from.x + dx * scale, y: from.y + dy * scale };
}

export function ServiceMap({ snapshot }: { snapshot: Snapshot | undefined }) {
  const [map, setMap] = useState<SystemMap>();
  useEffect(() => {
    void api<SystemMap>('/api/map').then(({ body }) => setMap(body));
  }, []);
  if (!map) return <p>Loading the map…</p>;
  const label = (name: ServiceName) => map.services.find((service) => service.name === name)?.label ?? name;
  const publishers = [...new Set(map.subscriptions.map((s) => s.producer))];
  const consumers = [...new Set(map.subscriptions.map((s) => s.consumer))];

  return (
    <section aria-labelledby="map-title">
      <h2 id="map-title">Service map</h2>
      <p className="lesson">
        Solid: REST calls, each behind the caller’s circuit breaker. Dashed: events, published to SNS topics and
        delivered to each consumer’s own SQS queue.
      </p>
      <div className="card">
        <svg viewBox="0 0 920 380" className="map" role="img" aria-labelledby="map-svg-title">
          <title id="map-svg-title">
            Services, their REST calls with breaker states, and the event flows through {map.broker}
          </title>
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
            </marker>
          </defs>
          {publishers.map((producer) => {
            const from = edgePoint(POSITION[producer], POSITION.broker);
            const to = edgePoint(POSITION.broker, POSITION[producer]);
            return (
              <line
                key={`pub-${producer}`}
                className="event-edge"
                x1={from.x}
                y1={from.y}
                x2={to.x}
                y2={to.y}
                markerEnd="url(#arrow)"
              />
            );
          })}
          {consumers.map((consumer) => {
            const from = edgePoint(POSITION.broker, POSITION[consumer]);
            const to = edgePoint(POSITION[consumer], POSITION.broker);
            return (
              <line
                key={`sub-${consumer}`}
                className="event-edge delivery"
                x1={from.x + 8}
                y1={from.y}
                x2={to.x + 8}
                y2={to.y}
                markerEnd="url(#arrow)"
              />
            );
          })}
          {map.calls.map((call) => {
            const breaker = breakerOf(snapshot, call.breaker.owner, call.breaker.name);
            const from = edgePoint(POSITION[call.from], POSITION[call.to]);
            const to = edgePoint(POSITION[call.to], POSITION[call.from]);
            const state = breaker?.state ?? 'unknown';
            return (
              <g
                key={`${call.from}-${call.to}`}
                className={`call breaker-${state}`}
                data-breaker={`${call.from}:${call.to}`}
                data-state={state}
              >
                <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} markerEnd="url(#arrow)" />
                {/* Nearer the callee than the middle: two calls leaving one service keep their labels apart. */}
                <text x={from.x + (to.x - from.x) * 0.62} y={from.y + (to.y - from.y) * 0.62 - 6} textAnchor="middle">
                  {state}
                  {breaker && breaker.calls > 0 ? ` · ${percent(breaker.failureRate)} failed` : ''}
                </text>
              </g>
            );
          })}
          {map.services.map(({ name }) => {
            const { x, y } = POSITION[name];
            const up = snapshot?.health[name];
            return (
              <g key={name} className={`node ${up === false ? 'down' : 'up'}`}>
                <rect x={x - NODE.width / 2} y={y - NODE.height / 2} width={NODE.width} height={NODE.height} rx="8" />
                <text x={x} y={y + 5} textAnchor="middle">
                  {label(name)}
                  {up === false ? ' (down)' : ''}
                </text>
              </g>
            );
          })}
          <g className="node broker">
            <rect x={POSITION.broker.x - 90} y={POSITION.broker.y - 22} width="180" height="44" rx="8" />
            <text x={POSITION.broker.x} y={POSITION.broker.y + 5} textAnchor="middle">
              SNS + SQS ({map.broker})
            </text>
          </g>
        </svg>
      </div>

      <div className="columns">
        <div className="card">
          <h3 id="breakers-title">Circuit breakers</h3>
          <div className="table-scroll">
            <table aria-labelledby="breakers-title">
              <thead>
                <tr>
                  <th scope="col">Call</th>
                  <th scope="col">State</th>
                  <th scope="col">Failed (recent calls)</th>
                </tr>
              </thead>
              <tbody>
                {map.calls.map((call) => {
                  const breaker = breakerOf(snapshot, call.breaker.owner, call.breaker.name);
                  const owner = snapshot?.breakers[call.breaker.owner];
                  return (
                    <tr key={`${call.from}-${call.to}`} data-testid={`breaker-${call.from}-${call.to}`}>
                      <th scope="row">
                        {label(call.from)} → {label(call.to)}
                      </th>
                      <td className={`breaker-${breaker?.state ?? 'unknown'}`}>
                        {breaker?.state ?? (owner && !owner.ok ? `unknown (${owner.error})` : '…')}
                      </td>
                      <td>{breaker ? `${percent(breaker.failureRate)} of ${breaker.calls}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
        <div className="card">
          <h3 id="flows-title">Event flows and outbox backlogs</h3>
          <ul className="flows">
            {map.subscriptions.map((subscription) => (
              <li key={`${subscription.topic}-${subscription.queue}`}>
                <span className="mono">{subscription.topic}</span> → <span className="mono">{subscription.queue}</span>
                <span className="muted small"> ({subscription.events.join(', ')})</span>
              </li>
            ))}
          </ul>
          <table aria-labelledby="flows-title">
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Outbox: waiting to publish</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(snapshot?.outbox ?? {}).map(([service, reading]) => (
                <tr key={service}>
                  <th scope="row">{label(service as ServiceName)}</th>
                  <td>
                    {reading.ok
                      ? `${reading.value.pending}${reading.value.pending > 0 ? ` (oldest ${reading.value.oldestAgeSeconds.toFixed(1)} s)` : ''}`
                      : reading.error}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
