/**
 * Where a provider verification reads its pacts. Without a Pact Broker: the pact file the consumer tests just wrote
 * (local runs, forks without a broker). With PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME and
 * PACT_BROKER_PASSWORD): the broker, selecting what the provider must stay compatible with, and publishing the
 * results under the provider's commit and branch (GIT_COMMIT, GIT_BRANCH), so `can-i-deploy` can answer.
 */
import type { VerifierOptions } from '@pact-foundation/pact';
import type { PactFileSummary } from './pact-files';

/**
 * Work-in-progress pacts (new on a consumer branch, never verified) from this date on are verified too, as pending:
 * their failures are reported to the consumer and do not fail the provider's build.
 */
const INCLUDE_WIP_PACTS_SINCE = '2026-01-01';

type PactSource = Pick<
  VerifierOptions,
  | 'pactUrls'
  | 'pactBrokerUrl'
  | 'pactBrokerToken'
  | 'pactBrokerUsername'
  | 'pactBrokerPassword'
  | 'consumerVersionSelectors'
  | 'enablePending'
  | 'includeWipPactsSince'
  | 'publishVerificationResult'
  | 'providerVersion'
  | 'providerVersionBranch'
>;

export function pactSource(pact: PactFileSummary, env: NodeJS.ProcessEnv = process.env): PactSource {
  const brokerUrl = env.PACT_BROKER_BASE_URL;
  if (!brokerUrl) return { pactUrls: [pact.path] };

  const credentials = env.PACT_BROKER_TOKEN
    ? { pactBrokerToken: env.PACT_BROKER_TOKEN }
    : { pactBrokerUsername: env.PACT_BROKER_USERNAME, pactBrokerPassword: env.PACT_BROKER_PASSWORD };
  const { GIT_COMMIT: version, GIT_BRANCH: branch } = env;
  if (!version || !branch) {
    throw new Error(
      'PACT_BROKER_BASE_URL is set: GIT_COMMIT and GIT_BRANCH must name the provider version it verifies',
    );
  }
  const consumer = pact.consumer;
  return {
    pactBrokerUrl: brokerUrl,
    ...credentials,
    // What the consumer has on its main branch, what is deployed or released, and the consumer's branch of the
    // same name as this one (a feature developed on both sides at once).
    consumerVersionSelectors: [
      { consumer, mainBranch: true },
      { consumer, deployedOrReleased: true },
      { consumer, matchingBranch: true },
    ],
    enablePending: true,
    includeWipPactsSince: INCLUDE_WIP_PACTS_SINCE,
    publishVerificationResult: true,
    providerVersion: version,
    providerVersionBranch: branch,
  };
}
