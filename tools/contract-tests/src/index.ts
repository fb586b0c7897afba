// @shop/contract-tests: the small pieces the consumer tests and provider verifications share.
export { Pacticipant } from './pacticipants';
export { PACT_DIR, pactsFor, type PactFileSummary } from './pact-files';
export { BEARER_TOKEN_PATTERN, CONTRACT_JWT_SECRET, bearerToken, refreshBearerTokens } from './tokens';
export { asPactMessage, publishOutbox, publishedEvent, type PublishedMessage } from './published-messages';
export {
  providerPacts,
  verifyProvider,
  type MessageProvider,
  type ProviderVerification,
  type StateHandler,
} from './verify-provider';
export { eventEnvelopeLike } from './event-envelope-like';
export { pactSource } from './pact-source';
