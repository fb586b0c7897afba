/** Runs scenarios one after another, narrating each, and returns their outcomes for the summary. */
import { dim } from './narrator';
import type { Scenario, ScenarioContext } from './scenario';

export interface ScenarioOutcome {
  scenario: Scenario;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

export async function runScenarios(selected: Scenario[], context: ScenarioContext): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of selected) {
    context.out.heading(`${scenario.id}. ${scenario.title}`);
    context.out.line(`  ${dim(scenario.lesson)}`);
    if (scenario.needsLocalSystem && !context.system) {
      context.out.note('skipped: needs the processes this demo starts itself (run `pnpm demo`, not against compose)');
      outcomes.push({ scenario, status: 'skipped', ms: 0 });
      continue;
    }
    const startedAt = Date.now();
    try {
      await scenario.run(context);
      const ms = Date.now() - startedAt;
      context.out.pass(`passed in ${(ms / 1000).toFixed(1)} s`);
      outcomes.push({ scenario, status: 'passed', ms });
    } catch (error) {
      const ms = Date.now() - startedAt;
      context.out.fail(`failed: ${(error as Error).message}`);
      outcomes.push({ scenario, status: 'failed', ms, error: (error as Error).message });
    }
  }
  return outcomes;
}
