/**
 * The demo's settings per service, apart from where things are (URLs, ports, data directories): short enough that
 * every scenario shows its effect within seconds. `pnpm test:replicas` runs its replicas on the same.
 */
import type { ServiceName } from './system';

export const DEMO_SETTINGS: Record<ServiceName, Record<string, string>> = {
  user: {},
  inventory: { SEED_CATALOGUE: 'on' },
  payment: {},
  // Short delays so the demo shows DISPATCHED and DELIVERED within seconds.
  shipping: { DISPATCH_DELAY_MS: '800', DELIVERY_DELAY_MS: '1200', DISPATCHER_POLL_MS: '100' },
  order: {
    PARTICIPANT_TIMEOUT_MS: '1000',
    SAGA_POLL_MS: '200',
    // A crashed order process's sagas are picked up again this long after their step timeout.
    SAGA_LEASE_MS: '2000',
    // A step attempt (three 1 s calls and their backoff) fits in 4 s; a crashed attempt is resumed after 4 + 2 s.
    SAGA_STEP_TIMEOUT_MS: '4000',
    // Quick retries and a short open breaker, so scenario 4 shows failing fast and recovering within seconds.
    SAGA_RETRY_INITIAL_MS: '200',
    SAGA_RETRY_MAX_MS: '2000',
    BREAKER_OPEN_MS: '3000',
  },
  gateway: {
    UPSTREAM_TIMEOUT_MS: '5000',
    // The scenarios poll order status like an impatient client; scenario 5 still shows the limit being hit.
    RATE_LIMIT_MAX: '600',
  },
};

/** What every service process of a local system gets: loopback only, local-aws, the run's JWT secret, faults on. */
export function localServiceSettings(awsEndpoint: string, jwtSecret: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    AWS_ENDPOINT_URL: awsEndpoint,
    AWS_REGION: 'us-east-1',
    JWT_SECRET: jwtSecret,
    FAULT_INJECTION: 'on',
    LOG_LEVEL: 'info',
  };
}

/**
 * Node's flags for every process of a local system (services, console): six Node processes on a laptop, where memory
 * matters more than the last per cent of speed. V8 lets each of the young generation's semi-spaces grow to 16 MB; at
 * 2 MB a service stays ~40 MB smaller, and `--optimize-for-size` (V8 favours smaller code and heap over peak speed)
 * takes ~15 MB more (measured with `pnpm bench`'s footprint section). These services allocate little per request, so
 * the extra scavenges cost little. The benchmark's throughput sections run at Node's defaults instead.
 */
export const LOCAL_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--optimize-for-size'];
