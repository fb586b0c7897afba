/**
 * The packages' own benchmarks (`@shop/resilience`: policy overhead against cockatiel and opossum; `@shop/local-aws`:
 * cold start, wake-up latency, throughput), run through their `bench` scripts; we keep their full output for the
 * report and pick out the key figures for the summary.
 */
import { spawn } from 'node:child_process';

export interface PackageBenchResult {
  name: string;
  command: string;
  output: string;
  ok: boolean;
  /** Key figures picked from the output: label → value as printed. */
  figures: { label: string; value: string; target?: string }[];
}

function runScript(
  repoRoot: string,
  filter: string,
  env: Record<string, string>,
): Promise<{ output: string; ok: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['--filter', filter, 'run', 'bench'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 5 * 60_000); // bounded, whatever happens
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ output, ok: code === 0 });
    });
  });
}

/** `ours pipeline / cockatiel pipeline: 0.84×` lines, and the ns/call of our policies. */
export function resilienceFigures(output: string): PackageBenchResult['figures'] {
  const figures: PackageBenchResult['figures'] = [];
  for (const match of output.matchAll(/^\s*(ours [^/\n]+?) \/ ([^:\n]+): ([\d.]+)×/gm)) {
    figures.push({
      label: `overhead ${match[1]} / ${match[2]}`,
      value: `${match[3]}×`,
      target: '≤ 1 (lower is better)',
    });
  }
  for (const match of output.matchAll(/^(ours (?:breaker|pipeline)(?: \(open\))?)\s+(\d+)\s+(-?\d+)\s+\d+\s*$/gm)) {
    figures.push({ label: `${match[1]} overhead per call`, value: `${match[3]} ns` });
  }
  return figures;
}

/** The local-aws table rows: `measure  result  target`. */
export function localAwsFigures(output: string): PackageBenchResult['figures'] {
  const figures: PackageBenchResult['figures'] = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?)\s{2,}([\d.,]+ (?:ms|msgs\/s))\s{2}(.*)$/.exec(line);
    if (match)
      figures.push({ label: `local-aws ${match[1]!.trim()}`, value: match[2]!, target: match[3]!.trim() || undefined });
  }
  return figures;
}

export async function runPackageBenches(repoRoot: string, quick: boolean): Promise<PackageBenchResult[]> {
  const resilienceEnv: Record<string, string> = quick ? { BENCH_ITERATIONS: '10000', BENCH_ROUNDS: '3' } : {};
  const resilience = await runScript(repoRoot, '@shop/resilience', resilienceEnv);
  const localAws = await runScript(repoRoot, '@shop/local-aws', {});
  return [
    {
      name: '@shop/resilience',
      command: `${quick ? 'BENCH_ITERATIONS=10000 BENCH_ROUNDS=3 ' : ''}pnpm --filter @shop/resilience bench`,
      ...resilience,
      figures: resilienceFigures(resilience.output),
    },
    {
      name: '@shop/local-aws',
      command: 'pnpm --filter @shop/local-aws bench',
      ...localAws,
      figures: localAwsFigures(localAws.output),
    },
  ];
}
