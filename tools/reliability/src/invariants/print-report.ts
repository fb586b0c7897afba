/** The invariant report as a table on the terminal: the counts a reader can compare between runs. */
import type { InvariantReport } from './check-invariants';

export function formatReport(report: InvariantReport): string {
  const lines: string[] = [];
  for (const { section, rows } of report.counts) {
    lines.push(`  ${section}`);
    for (const [label, value] of rows) lines.push(`    ${label.padEnd(52)} ${value}`);
  }
  lines.push(
    report.violations.length === 0
      ? '  invariants: all hold'
      : `  invariants: ${report.violations.length} VIOLATED\n${report.violations.map((v) => `    ✘ ${v}`).join('\n')}`,
  );
  return lines.join('\n');
}
