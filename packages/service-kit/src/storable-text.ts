/**
 * Text a database can store. Postgres refuses the NUL character (U+0000) in `text` and `jsonb`, and a lone UTF-16
 * surrogate (half of a pair, e.g. `"\ud800"` in JSON) cannot be encoded as UTF-8 at all: the driver silently turns
 * it into U+FFFD, so what is stored is not what was sent. Both are refused at validation, with a 400 naming the
 * field, on every part of every request a route has a schema for — before they can reach a query and come back as
 * a 500.
 */
import type { ErrorObject } from 'ajv';

/** Enough to fix a request; a body of ten thousand bad strings must not produce a ten-thousand-line answer. */
const MAX_REPORTED = 100;

const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

function problemIn(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!isWellFormed(text)) return 'must not contain a lone UTF-16 surrogate (it is not valid Unicode)';
  return undefined;
}

/** A property name as it appears in a field path, with the characters we refuse made visible. */
function visible(key: string): string {
  let shown = '';
  for (const char of key) {
    // Iterating by code point: a proper surrogate pair arrives whole, a lone surrogate alone.
    const code = char.codePointAt(0)!;
    shown += code === 0 || (code >= 0xd800 && code <= 0xdfff) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return shown;
}

/** JSON Pointer segment, as ajv writes `instancePath`. */
const pointer = (key: string) => visible(key).replace(/~/g, '~0').replace(/\//g, '~1');

const issue = (instancePath: string, message: string): ErrorObject => ({
  instancePath,
  schemaPath: '',
  keyword: 'storableText',
  params: {},
  message,
});

/**
 * Every string (and property name) in `data` that a database cannot store, as ajv-style errors so they join the
 * schema's own in one 400. Walks with an explicit queue: a deeply nested body must not overflow the stack.
 */
export function unstorableText(data: unknown): ErrorObject[] {
  const found: ErrorObject[] = [];
  const queue: [unknown, string][] = [[data, '']];
  for (let next = 0; next < queue.length && found.length < MAX_REPORTED; next++) {
    const [value, path] = queue[next]!;
    if (typeof value === 'string') {
      const problem = problemIn(value);
      if (problem) found.push(issue(path, problem));
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => queue.push([item, `${path}/${index}`]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const problem = problemIn(key);
        if (problem) found.push(issue(`${path}/${pointer(key)}`, `property name ${problem}`));
        queue.push([item, `${path}/${pointer(key)}`]);
      }
    }
  }
  return found;
}
