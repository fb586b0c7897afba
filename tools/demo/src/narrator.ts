/** How the demo talks: headings, one line per request, notes and verdicts; colour only on a terminal. */
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

export function statusColour(status: number): (text: string) => string {
  if (status >= 500) return red;
  if (status >= 400) return yellow;
  return green;
}

export class Narrator {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  heading(text: string): void {
    this.write('');
    this.write(bold(cyan(`━━ ${text} ${'━'.repeat(Math.max(3, 72 - text.length))}`)));
  }

  request(method: string, path: string, status: number | 'ERR', ms: number, note = ''): void {
    const shownStatus = status === 'ERR' ? red('ERR') : statusColour(status)(String(status));
    this.write(
      `  → ${method.padEnd(5)} ${path.padEnd(40)} ${shownStatus} ${dim(`${ms.toFixed(0).padStart(5)} ms`)}  ${note}`,
    );
  }

  note(text: string): void {
    this.write(`  ${dim('…')} ${text}`);
  }

  figure(label: string, value: string): void {
    this.write(`  ${label.padEnd(34)} ${bold(value)}`);
  }

  block(text: string): void {
    for (const line of text.split('\n')) this.write(`    ${line}`);
  }

  pass(text: string): void {
    this.write(`  ${green('✔')} ${text}`);
  }

  fail(text: string): void {
    this.write(`  ${red('✘')} ${text}`);
  }

  line(text = ''): void {
    this.write(text);
  }
}
