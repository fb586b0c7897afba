/**
 * Text that breaks text handling: what Postgres cannot store (NUL, lone UTF-16 surrogates), control characters,
 * and odd or overlong Unicode — in JSON strings, and percent-encoded for paths and query strings (with the invalid
 * and overlong UTF-8 byte sequences only a URL can carry).
 */
import fc from 'fast-check';

export const printable = (max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });

const char = (min: number, max: number) => fc.integer({ min, max }).map((code) => String.fromCharCode(code));

/** Unicode that is valid but easy to mishandle: BOM, noncharacters, bidi overrides, joiners, stacked marks, astral. */
const oddUnicode = fc.constantFrom(
  '\ufeff', // byte order mark
  '\ufffe',
  '\uffff', // noncharacters
  '\u202e', // right-to-left override
  '\u200b\u200d', // zero-width space and joiner
  '\u2028\u2029', // line and paragraph separators (not newlines to JSON, newlines to JavaScript)
  'e' + '\u0301'.repeat(60), // one grapheme, sixty combining marks
  '\u{10ffff}',
  '\u{1f469}\u200d\u{1f469}\u200d\u{1f467}', // a family: one grapheme, five code points
  'ＡＢＣ', // full-width
  'İı', // case mapping that changes length
  'ﬃ',
);

const hostileChar = fc.oneof(
  { arbitrary: fc.constant('\u0000'), weight: 4 },
  { arbitrary: char(0xd800, 0xdfff), weight: 3 }, // a lone surrogate
  { arbitrary: char(0x01, 0x1f), weight: 2 },
  { arbitrary: fc.constantFrom('\u007f', '\u0085', '\u009f'), weight: 1 }, // DEL and C1 controls
  { arbitrary: oddUnicode, weight: 2 },
);

/** Mostly ordinary text with one to three hostile characters somewhere in it; sometimes very long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(printable(12), fc.array(hostileChar, { minLength: 1, maxLength: 3 }), printable(12))
      .map(([before, chars, after]) => before + chars.join('') + after),
    weight: 8,
  },
  { arbitrary: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0000'.repeat(300)), weight: 2 },
  { arbitrary: fc.constantFrom('\u{1f600}'.repeat(5_000), 'e\u0301'.repeat(5_000)), weight: 1 }, // overlong
);

/** One surrogate as the three bytes a lenient encoder (WTF-8) writes for it: invalid UTF-8 to everyone else. */
function wtf8(code: number): string {
  return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
    .map((byte) => `%${byte.toString(16).toUpperCase()}`)
    .join('');
}

/** Percent-encodes any string; `encodeURIComponent` throws on a lone surrogate, a client library may not. */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const unit of text) {
    const code = unit.codePointAt(0)!;
    encoded += code >= 0xd800 && code <= 0xdfff ? wtf8(code) : encodeURIComponent(unit);
  }
  return encoded;
}

/** Byte sequences only a URL can carry: overlong encodings of NUL and `/`, stray continuation bytes, truncations. */
export const invalidUtf8InUrl = fc.constantFrom(
  '%C0%80',
  '%C0%AF',
  '%E0%80%AF',
  '%F0%80%80%AF',
  '%80',
  '%FF',
  '%E2%82',
);

/** A path segment or query value: hostile text percent-encoded, or raw invalid bytes. */
export const hostileUrlText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileText.map(percentEncode), weight: 4 },
  { arbitrary: fc.constantFrom('%00', 'a%00b', '%01', '%1F', '%7F', '%0A', '%0D%0A'), weight: 2 },
  { arbitrary: invalidUtf8InUrl, weight: 1 },
);
