// Where verifications read pacts: the local file by default, the Pact Broker (with its selectors) when configured.
import { pactSource, type PactFileSummary } from '../src';

const pact: PactFileSummary = {
  path: '/pacts/order-service-payment-service.json',
  consumer: 'order-service',
  provider: 'payment-service',
  states: [],
  interactions: [],
};

it('reads the local pact file when no broker is configured', () => {
  expect(pactSource(pact, {})).toEqual({ pactUrls: [pact.path] });
});

it('reads from the broker with mainBranch, deployedOrReleased and matchingBranch, pending and WIP, and publishes', () => {
  const env = {
    PACT_BROKER_BASE_URL: 'https://broker.example',
    PACT_BROKER_TOKEN: 't',
    GIT_COMMIT: 'abc123',
    GIT_BRANCH: 'feature-x',
  };
  expect(pactSource(pact, env)).toEqual({
    pactBrokerUrl: 'https://broker.example',
    pactBrokerToken: 't',
    consumerVersionSelectors: [
      { consumer: 'order-service', mainBranch: true },
      { consumer: 'order-service', deployedOrReleased: true },
      { consumer: 'order-service', matchingBranch: true },
    ],
    enablePending: true,
    includeWipPactsSince: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    publishVerificationResult: true,
    providerVersion: 'abc123',
    providerVersionBranch: 'feature-x',
  });
});

it('uses username and password when the broker has no token (the compose pact-broker profile)', () => {
  const env = {
    PACT_BROKER_BASE_URL: 'http://localhost:9292',
    PACT_BROKER_USERNAME: 'pact',
    PACT_BROKER_PASSWORD: 'pact',
    GIT_COMMIT: 'c',
    GIT_BRANCH: 'main',
  };
  expect(pactSource(pact, env)).toMatchObject({ pactBrokerUsername: 'pact', pactBrokerPassword: 'pact' });
});

it('refuses a broker run that does not say which provider version it verifies', () => {
  expect(() => pactSource(pact, { PACT_BROKER_BASE_URL: 'https://broker.example', PACT_BROKER_TOKEN: 't' })).toThrow(
    /GIT_COMMIT and GIT_BRANCH/,
  );
});
