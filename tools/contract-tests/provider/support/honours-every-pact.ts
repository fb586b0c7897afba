/**
 * One jest test per pact naming `provider` (so the output lists each consumer–provider pair and its result), each
 * replaying the pact against the provider's real app. `verification` is read when the test runs, after `beforeAll`
 * has built the app.
 */
import { providerPacts, verifyProvider, type Pacticipant, type ProviderVerification } from '../../src';

export function itHonoursEveryPact(
  provider: Pacticipant,
  verification: () => Omit<ProviderVerification, 'pact'>,
): void {
  const pacts = providerPacts(provider).map((pact) => [pact.consumer, pact] as const);
  it.each(pacts)("honours %s's pact", async (_consumer, pact) => {
    await verifyProvider({ pact, ...verification() });
  });
}
