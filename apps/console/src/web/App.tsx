/**
 * The console's frame: a header, one navigation list, and the view the address names (`#storefront`, `#sagas`…),
 * so views can be linked, bookmarked and reached with the keyboard like any page. Everything else is in views/.
 */
import { useEffect, useState } from 'react';
import { useSnapshot } from './live';
import { readLocation, VIEWS } from './navigation';
import { FaultSwitches } from './views/FaultSwitches';
import { Queues } from './views/Queues';
import { SagaTimeline } from './views/SagaTimeline';
import { Scenarios } from './views/Scenarios';
import { ServiceMap } from './views/ServiceMap';
import { Storefront } from './views/Storefront';
import { Traces } from './views/Traces';

export function App() {
  const [location, setLocation] = useState(readLocation);
  const { snapshot, connected } = useSnapshot();
  useEffect(() => {
    const onHash = () => {
      setLocation(readLocation());
      document.getElementById('main')?.focus();
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const { view, subject } = location;
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <header className="top">
        <h1>
          Resilient Shop <span className="subtitle">learner’s console</span>
        </h1>
        <p className="connection" role="status">
          {snapshot ? (connected ? 'live' : 'reconnecting…') : 'connecting…'}
          {snapshot ? <span className="muted"> · updated {new Date(snapshot.at).toLocaleTimeString()}</span> : null}
        </p>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map(({ id, label }) => (
              <li key={id}>
                <a href={`#${id}`} aria-current={view === id ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Always mounted: the customer's session (token, orders) survives a look at the other views. */}
        <div hidden={view !== 'storefront'}>
          <Storefront snapshot={snapshot} />
        </div>
        {view === 'sagas' && <SagaTimeline snapshot={snapshot} sagaId={subject} />}
        {view === 'map' && <ServiceMap snapshot={snapshot} />}
        {view === 'queues' && <Queues snapshot={snapshot} />}
        {view === 'traces' && <Traces snapshot={snapshot} traceId={subject} />}
        {view === 'faults' && <FaultSwitches snapshot={snapshot} />}
        {view === 'scenarios' && <Scenarios />}
      </main>
    </>
  );
}
