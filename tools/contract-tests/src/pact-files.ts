/** Where consumer tests write pacts and provider verifications read them: build output, git-ignored. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `tools/contract-tests/pacts` (the same from src/ under jest and from dist/). */
export const PACT_DIR = join(__dirname, '..', 'pacts');

export interface PactFileSummary {
  readonly path: string;
  readonly consumer: string;
  readonly provider: string;
  /** Every provider state any interaction names. */
  readonly states: readonly string[];
  readonly interactions: readonly string[];
}

interface PactInteraction {
  description: string;
  providerStates?: { name: string }[];
}

interface PactJson {
  consumer: { name: string };
  provider: { name: string };
  interactions?: PactInteraction[];
  /** V3 message pacts keep their messages here. */
  messages?: PactInteraction[];
}

/** The pacts whose provider is `provider`, read from PACT_DIR. */
export function pactsFor(provider: string, dir = PACT_DIR): PactFileSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const path = join(dir, file);
      const pact = JSON.parse(readFileSync(path, 'utf8')) as PactJson;
      const interactions = [...(pact.interactions ?? []), ...(pact.messages ?? [])];
      const states = interactions.flatMap((interaction) =>
        (interaction.providerStates ?? []).map((state) => state.name),
      );
      return {
        path,
        consumer: pact.consumer.name,
        provider: pact.provider.name,
        states: [...new Set(states)],
        interactions: interactions.map((interaction) => interaction.description),
      };
    })
    .filter((pact) => pact.provider === provider);
}
