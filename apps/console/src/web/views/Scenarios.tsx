/** The demo's eight scenarios, each runnable from here; the narration streams in as the scenario runs. */
import { useEffect, useRef, useState } from 'react';
import type { ScenarioInfo, ScenarioResult } from '../../shared/console-api';
import { api, errorText } from '../api';
import { onLiveEvent } from '../live';
import { millis } from '../format';

export function Scenarios() {
  const [scenarios, setScenarios] = useState<ScenarioInfo[]>();
  const [running, setRunning] = useState<number>();
  const [lines, setLines] = useState<string[]>([]);
  const [results, setResults] = useState<Record<number, ScenarioResult>>({});
  const [error, setError] = useState<string>();
  const log = useRef<HTMLPreElement>(null);

  useEffect(() => {
    void api<{ scenarios: ScenarioInfo[] }>('/api/scenarios').then(({ body }) => setScenarios(body.scenarios));
    return onLiveEvent((event) => {
      if (event.type === 'scenario-line') setLines((all) => [...all.slice(-400), event.line]);
      if (event.type === 'scenario-finished') {
        setResults((all) => ({ ...all, [event.result.id]: event.result }));
        setRunning(undefined);
      }
      if (event.type === 'snapshot') setRunning(event.snapshot.scenario.running);
    });
  }, []);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [lines]);

  const run = async (id: number) => {
    setLines([]);
    setError(undefined);
    try {
      await api(`/api/scenarios/${id}/run`, { method: 'POST' });
      setRunning(id);
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <section aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      <p className="lesson">The narrated scenarios of `pnpm demo`. Run one and watch the other views while it runs.</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="columns">
        <ol className="card scenario-list">
          {scenarios?.map((scenario) => {
            const result = results[scenario.id];
            return (
              <li key={scenario.id} data-scenario={scenario.id}>
                <h3>
                  {scenario.id}. {scenario.title}
                </h3>
                <p className="muted small">{scenario.lesson}</p>
                {scenario.unavailable ? (
                  <p className="muted small">Not available here: {scenario.unavailable}.</p>
                ) : (
                  <button
                    type="button"
                    disabled={running !== undefined}
                    onClick={() => void run(scenario.id)}
                    aria-label={`Run scenario ${scenario.id}: ${scenario.title}`}
                  >
                    {running === scenario.id ? 'Running…' : 'Run'}
                  </button>
                )}
                {result && (
                  <span className={`result result-${result.status}`} data-testid={`scenario-result-${scenario.id}`}>
                    {' '}
                    {result.status} in {millis(result.ms)}
                    {result.error ? `: ${result.error}` : ''}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        <div className="card wide">
          <h3 id="narration-title">Narration</h3>
          <pre ref={log} className="narration" tabIndex={0} aria-labelledby="narration-title">
            {lines.length ? lines.join('\n') : 'Run a scenario to see its narration here.'}
          </pre>
        </div>
      </div>
    </section>
  );
}
