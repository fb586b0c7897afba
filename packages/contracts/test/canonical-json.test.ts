import { canonicalJson, fingerprintOf } from '../src/canonical-json';

describe('canonicalJson', () => {
  it('is independent of key order, at every depth', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('keeps array order', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('leaves out undefined properties, keeps null, and writes undefined array items as null', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).toBe('{"a":null}');
    expect(canonicalJson([1, undefined])).toBe('[1,null]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('tells values of different types apart', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: true })).not.toBe(canonicalJson({ a: 'true' }));
    expect(canonicalJson({ a: [] })).not.toBe(canonicalJson({ a: {} }));
  });

  it('writes numbers as JSON does: 1.0 is 1, -0 is 0, exponents normalised, non-finite is null', () => {
    expect(canonicalJson([1.0, -0, 1e21, 0.1 + 0.2, Number.NaN, Infinity])).toBe(
      '[1,0,1e+21,0.30000000000000004,null,null]',
    );
  });

  it('keeps unicode as it is, sorts keys by code unit rather than locale, escapes what JSON escapes', () => {
    expect(canonicalJson({ é: 'ü', e: 'z', E: '€', '😀': '\u0000' })).toBe('{"E":"€","e":"z","é":"ü","😀":"\\u0000"}');
    // A lone surrogate is written escaped, so the text stays valid UTF-8.
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('writes dates through toJSON', () => {
    expect(canonicalJson({ at: new Date('2030-01-01T00:00:00.000Z') })).toBe('{"at":"2030-01-01T00:00:00.000Z"}');
  });
});

describe('fingerprintOf', () => {
  it('is the SHA-256 of the canonical text, the same for the same request in any key order', () => {
    expect(fingerprintOf({ b: 2, a: 1 })).toBe(fingerprintOf({ a: 1, b: 2 }));
    expect(fingerprintOf({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: 2 }));
  });
});
