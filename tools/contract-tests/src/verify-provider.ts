/**
 * Verifies every pact of one provider against its real Fastify app, listening on a port the OS picks. Before the
 * verifier runs, each provider state the pacts name must have a handler: Pact itself only logs a warning for a
 * missing one and carries on, which would let an interaction pass against whatever data happens to be there.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { ServiceApp } from '@shop/service-kit';
import { pactsFor, type PactFileSummary } from './pact-files';
import { pactSource } from './pact-source';
import { refreshBearerTokens } from './tokens';

/** Sets up one provider state; what it may return is injected where the pact says `fromProviderState`. */
export type StateHandler = (params: unknown) => Promise<Record<string, string | number> | void>;
/** Produces one message through the provider's own code (see `asPactMessage`). */
export type MessageProvider = () => Promise<unknown>;

/**
 * Pact's verification proxy re-streams every request body; for a request without one (e.g. `POST …/commit`) Node then
 * sends `Transfer-Encoding: chunked`, and Fastify answers 415 to a body without a content type. Saying "no body"
 * explicitly keeps the replayed request what the consumer really sent.
 */
function keepEmptyBodiesEmpty(request: IncomingMessage): void {
  if (request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined) {
    request.headers['content-length'] = '0';
  }
}

export interface ProviderVerification {
  /** One pact of the provider (see `providerPacts`): one jest test per consumer lists each result on its own. */
  pact: PactFileSummary;
  /** The provider's real app, built by the caller; verifyProvider listens on port 0 and does not close it. */
  app: ServiceApp;
  stateHandlers?: Record<string, StateHandler>;
  /** For message pacts: description → a function producing the message through the provider's own code. */
  messageProviders?: Record<string, MessageProvider>;
  /** Runs before each interaction (e.g. empty the tables, so interactions never depend on each other). */
  beforeEach?: () => Promise<unknown>;
  /**
   * `local`: always the pact file, never the broker, and no result published — for a verification that is meant to
   * fail (provider/can-fail.test.ts). Default `configured`: the broker when one is configured (see pact-source.ts).
   */
  source?: 'local' | 'configured';
}

/**
 * The pacts naming `provider`, read when a test file is loaded (the consumer project has run by then); throws when
 * there is none, which fails the provider's test file instead of letting it verify nothing.
 */
export function providerPacts(provider: string, dir?: string): PactFileSummary[] {
  const pacts = pactsFor(provider, dir);
  if (pacts.length === 0) {
    throw new Error(`No pact names ${provider} as its provider: run the consumer tests first (pnpm test:consumer)`);
  }
  return pacts;
}

/** Resolves with the verifier's report (each interaction and its result); rejects when any interaction fails. */
export async function verifyProvider(options: ProviderVerification): Promise<string> {
  const { pact, app } = options;
  const handled = new Set(Object.keys(options.stateHandlers ?? {}));
  const missing = pact.states.filter((state) => !handled.has(state));
  if (missing.length > 0) {
    throw new Error(
      `${pact.provider} has no handler for provider state(s): ${missing.map((s) => `"${s}"`).join(', ')}`,
    );
  }

  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const verifier = new Verifier({
    provider: pact.provider,
    providerBaseUrl: `http://127.0.0.1:${port}`,
    ...(options.source === 'local' ? { pactUrls: [pact.path] } : pactSource(pact)),
    stateHandlers: (options.stateHandlers ?? {}) as VerifierOptions['stateHandlers'],
    ...(options.messageProviders ? { messageProviders: options.messageProviders } : {}),
    ...(options.beforeEach ? { beforeEach: options.beforeEach } : {}),
    requestFilter: (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      keepEmptyBodiesEmpty(request);
      refreshBearerTokens()(request, response, next);
    },
    logLevel: 'error',
  });
  return String((await verifier.verifyProvider()) ?? '');
}
