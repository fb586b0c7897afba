/**
 * Verifies every pact of one provider against its real Fastify app, listening on a port the OS picks. Before the
 * verifier runs, each provider state the pacts name must have a handler: Pact itself only logs a warning for a
 * missing one and carries on, which would let an interaction pass against whatever data happens to be there.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { ServiceApp } from '@shop/service-kit';
import { pactsFor, type PactFileSummary } from './pact-files';
import { refreshBearerTokens } from './tokens';

type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;
type MessageProviders = NonNullable<VerifierOptions['messageProviders']>;

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
  provider: string;
  /** The provider's real app, built by the caller; verifyProvider listens on port 0 and does not close it. */
  app: ServiceApp;
  stateHandlers?: StateHandlers;
  /** For message pacts: description → a function producing the message through the provider's own code. */
  messageProviders?: MessageProviders;
  /** Runs before each interaction (e.g. empty the tables, so interactions never depend on each other). */
  beforeEach?: () => Promise<unknown>;
  /** Default: PACT_DIR. */
  pactDir?: string;
}

export interface VerificationResult {
  pacts: PactFileSummary[];
  /** The verifier's report, listing each interaction and its result. */
  output: string;
}

export async function verifyProvider(options: ProviderVerification): Promise<VerificationResult> {
  const pacts = pactsFor(options.provider, options.pactDir);
  if (pacts.length === 0) {
    throw new Error(`No pact names ${options.provider} as its provider: did the consumer tests run first?`);
  }
  const handled = new Set(Object.keys(options.stateHandlers ?? {}));
  const missing = [...new Set(pacts.flatMap((pact) => pact.states))].filter((state) => !handled.has(state));
  if (missing.length > 0) {
    throw new Error(`${options.provider} has no handler for provider state(s): ${missing.map((s) => `"${s}"`).join(', ')}`);
  }

  await options.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = options.app.server.address() as AddressInfo;
  const verifier = new Verifier({
    provider: options.provider,
    providerBaseUrl: `http://127.0.0.1:${port}`,
    pactUrls: pacts.map((pact) => pact.path),
    stateHandlers: options.stateHandlers ?? {},
    ...(options.messageProviders ? { messageProviders: options.messageProviders } : {}),
    ...(options.beforeEach ? { beforeEach: options.beforeEach } : {}),
    requestFilter: (request, response, next) => {
      keepEmptyBodiesEmpty(request);
      refreshBearerTokens()(request, response, next);
    },
    logLevel: 'error',
  });
  const output = await verifier.verifyProvider();
  return { pacts, output: String(output ?? '') };
}
