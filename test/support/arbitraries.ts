import fc from 'fast-check';
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';

/**
 * fast-check arbitraries for hostile HTTP input, shared by the property tests (test/server/property*.test.ts).
 * They lean towards what has broken input handling elsewhere: NUL and control characters (PostgreSQL refuses NUL
 * in text and jsonb), lone surrogates, bidi overrides, prototype keys, SQL and path fragments, numbers that are not
 * quite numbers, deep nesting and very long strings.
 */

/** The fixed seed of every property run; FC_SEED=… explores another. */
export const FC_SEED = Number(process.env.FC_SEED ?? 20_240_607);

/**
 * Options of every `fc.assert` here: the fixed seed (printed with the counterexample on failure), `numRuns` sized for
 * CI and multiplied by FC_SCALE to explore further, and no shrinking unless FC_SHRINK=1 (each run is HTTP calls).
 */
export const runs = (numRuns: number) => ({
  seed: FC_SEED,
  numRuns: Math.max(1, Math.round(numRuns * Number(process.env.FC_SCALE ?? 1))),
  endOnFailure: process.env.FC_SHRINK !== '1',
});

/** Literal troublemakers, each a known way to break a parser, a query, a header or a file name. */
export const nastyStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31m',
  '\r\n\r\nX-Injected: 1',
  '\u007f',
  '\u0085\u009b',
  'abc\u202egnp.exe',
  '\u2066\u2069\u200e\u200f\u061c',
  '\u200b\ufeff',
  '\ud800',
  'x\udfffy',
  '🇻🇳👩‍👩‍👧',
  'Nguyễn Văn An',
  'Nguye\u0302\u0303n',
  '﷽',
  "' OR '1'='1",
  "'; DROP TABLE dossier; --",
  '1; SELECT pg_sleep(10)',
  "E'\\\\x00'",
  '$1',
  '%',
  '%%',
  '%00',
  '%2e%2e%2f',
  '_',
  '\\',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/etc/passwd',
  'file:///etc/passwd',
  '....//....//',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '=cmd|" /C calc"!A0',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '9007199254740993',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '2024-02-30',
  '0000-01-01',
  '9999-12-31',
  '2024-13-01',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

/** Keys that poison prototypes or shadow built-ins. */
export const nastyKeys: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', '\u0000', '$where', 'a.b', '../x'];

/** Numbers at the edges of JSON, IEEE doubles, 32-bit integers and PostgreSQL's integer and numeric types. */
export const nastyNumbers: readonly number[] = [0, -0, -1, 1.5, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e21, 365.0000001];

/** A string of `length` code units built from one nasty seed, to reach length limits with hostile content. */
const longString = fc
  .tuple(fc.constantFrom('A', 'ệ', '\u0000', '🇻🇳', "'", '../', '\u202e'), fc.integer({ min: 201, max: 70_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...nastyStrings), fc.constantFrom(...nastyStrings)).map(([a, b]) => `${a}x${b}`) },
  { weight: 1, arbitrary: longString },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...nastyKeys) }, { weight: 1, arbitrary: hostileString });

/** An object with exactly these own keys, `__proto__` included (an object literal would set the prototype instead). */
export const objectOf = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

/** Arrays or objects nested `depth` deep around a string. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 30, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = 'deep';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

/** Any JSON value, hostile at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.constantFrom<unknown>(...nastyNumbers),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf),
    deeplyNested,
  ),
})).value;

/** Request bodies that are not JSON at all, or JSON that a careless parser would trust. */
export const rawBodies: readonly string[] = [
  '',
  '{',
  '{"a":}',
  '\u0000',
  'null',
  '"just a string"',
  '[]',
  '1e400',
  'NaN',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"a":1,"a":2}',
  '\ufeff{}',
  `${' '.repeat(10_000)}{}`,
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  '{"data":{"x":"\\u0000"}}',
  '{"data":{"\\u0000":1}}',
  '{"note":"\\ud800"}',
];

/** Content types a client might send, honest or not. */
export const contentTypes: readonly (string | undefined)[] = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/xml',
  'application/problem+json',
  '*/*',
  'application/json, text/plain',
];

/** A printable header value, as Node's HTTP parser lets through (tab, visible ASCII and obs-text). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'W/"1"', '"1"', '*', '"-1"', '"99999999999999999999"', '1e3', '../../etc/passwd', "' OR 1=1 --", '__proto__', 'Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4='),
  fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.integer({ min: 100, max: 8_000 }).map((n) => 'x'.repeat(n)),
);

/** A query-string component: `encodeURIComponent` when it can be encoded, the raw text (a malformed escape) when not. */
export function encodeQueryPart(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[^\x21-\x7e]/g, '%');
  }
}

/** Raw query strings that trip parsers: broken escapes, repeated keys, bracket syntax, prototype keys. */
export const rawQueries: readonly string[] = ['%', '%zz', '%00', 'a[b]=1', 'page=1&page=2', '&&&', '=', '==', 'q', '__proto__=1', '__proto__[x]=1', 'constructor[prototype][x]=1', 'q=%E0%A4%A', `q=${'%41'.repeat(3000)}`];

/** A hostile query string (without the `?`), optionally mixing in keys a route knows. */
export function hostileQuery(knownKeys: readonly string[]): fc.Arbitrary<string> {
  const key = knownKeys.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...knownKeys) }, { weight: 1, arbitrary: hostileKey }) : hostileKey;
  const pairs = fc.array(fc.tuple(key, hostileString), { maxLength: 4 }).map((entries) => entries.map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`).join('&'));
  return fc.oneof({ weight: 3, arbitrary: pairs }, { weight: 1, arbitrary: fc.constantFrom(...rawQueries) });
}

/** A path segment: URL-encoded hostile text, an encoded traversal, or a raw one that the router sees as it is. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileString.filter((s) => s.length < 2000).map(encodeQueryPart) },
  { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2F', '%00', '%', '%zz', '.', 'x%20y', '%E2%80%AE') },
  { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
);

/** Text for an assertion message, shortened: hostile values run to megabytes. */
export const clip = (text: string) => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);

/** The contract of every answer: no 5xx, and a 4xx is problem+json with a type and a message in both languages. */
export function expectWellFormedAnswer(res: LightMyRequestResponse, request: string) {
  const seen = `${request} → ${res.statusCode} ${clip(res.body)}`;
  expect(res.statusCode, seen).toBeLessThan(500);
  if (res.statusCode < 400) return;
  expect(res.headers['content-type'], seen).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(typeof body.type, seen).toBe('string');
  expect(body.messageVi, seen).toMatch(/\S/);
  expect(body.messageEn, seen).toMatch(/\S/);
}

/** One part of a multipart body; `filename` makes it a file part, `headers` replace the usual ones. */
export interface Part {
  name: string;
  content: Buffer | string;
  filename?: string;
  contentType?: string;
  headers?: string;
}

/** A multipart/form-data body written by hand, so that its framing can be as broken as a test wants. */
export function multipart(parts: Part[], options: { boundary?: string; truncateAt?: number; close?: boolean } = {}) {
  const boundary = options.boundary ?? `----dvc${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const headers = part.headers ?? [disposition, ...(part.contentType ? [`Content-Type: ${part.contentType}`] : [])].join('\r\n');
    chunks.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  if (options.close ?? true) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(chunks);
  return { body: options.truncateAt === undefined ? body : body.subarray(0, options.truncateAt), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Values that fast-check prints shortened in a counterexample (deep ones would overflow its printer's stack). */
export function printedShort<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<{ value: T }> {
  return arbitrary.map((value) => ({ value, [fc.toStringMethod]: () => clip(JSON.stringify(value) ?? String(value)) }));
}
