// The AWS query protocol's two halves: form parameters (`A.member.1.B`, `Attributes.entry.1.key`) turned into
// nested objects, and XML responses (`<member>` lists, `<entry><key/><value/></entry>` maps) and errors.
import type { ServerResponse } from 'node:http';
import { AwsError } from './aws-error';

type Tree = { [key: string]: Tree | string };

/**
 * Parses the form body (and the URL's query string, which GET requests use) into `Action` and nested parameters,
 * with numbered lists as arrays and entry lists as maps. A body parameter wins over the same one in the URL.
 */
export function parseQueryForm(
  body: string,
  urlQuery = '',
): { action: string | undefined; params: Record<string, unknown> } {
  const form = new URLSearchParams(urlQuery);
  for (const [key, value] of new URLSearchParams(body)) form.set(key, value);
  // Null-prototype nodes: a parameter named `__proto__.x` must not reach Object.prototype.
  const tree: Tree = Object.create(null) as Tree;
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    const segments = key.split('.');
    let node = tree;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next === 'object') node = next;
      else node = node[segment] = Object.create(null) as Tree;
    });
  }
  return { action: form.get('Action') ?? undefined, params: normalize(tree) as Record<string, unknown> };
}

function normalize(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => normalize(node[key]));
  }
  if (keys.length === 1 && keys[0] === 'member') return normalize(node.member);
  if (keys.length === 1 && keys[0] === 'entry') {
    const entries = normalize(node.entry);
    const map: Record<string, unknown> = {};
    for (const entry of Array.isArray(entries) ? (entries as unknown[]) : []) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { key, Name, Key, value, Value } = entry as Record<string, unknown>;
      setOwn(map, String(key ?? Name ?? Key), value ?? Value);
    }
    return map;
  }
  const result: Record<string, unknown> = {};
  for (const key of keys) setOwn(result, key, normalize(node[key]));
  return result;
}

/** Assignment that keeps a key such as `__proto__` as plain data instead of changing the object's prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A map rendered as `<entry><key>…</key><value>…</value></entry>` (SNS's Attributes). */
export class XmlMap {
  constructor(readonly entries: Record<string, string>) {}
}

/** A list the SQS query protocol repeats element by element (`<QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl>`). */
export class XmlRepeated {
  constructor(readonly items: XmlValue[]) {}
}

/** Content rendered already, e.g. a structure mixing single and repeated elements in a fixed order. */
export class XmlRaw {
  constructor(readonly xml: string) {}
}

export type XmlValue =
  string | number | boolean | undefined | XmlMap | XmlRepeated | XmlRaw | XmlValue[] | { [name: string]: XmlValue };

const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  // An XML parser turns a literal carriage return into a line feed (end-of-line normalisation), so a body with
  // `\r` would come back changed; AWS escapes it as a character reference for that reason.
  '\r': '&#xD;',
};

export function escapeXml(text: string): string {
  return text.replace(/[<>&"'\r]/g, (c) => XML_ESCAPES[c]);
}

export function renderXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof XmlRepeated) return value.items.map((item) => renderXml(name, item)).join('');
  return `<${name}>${renderContent(value)}</${name}>`;
}

function renderContent(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value !== 'object') return escapeXml(String(value));
  if (value instanceof XmlRaw) return value.xml;
  if (value instanceof XmlRepeated) return value.items.map(renderContent).join('');
  if (value instanceof XmlMap) {
    return Object.entries(value.entries)
      .map(([key, entry]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(entry)}</value></entry>`)
      .join('');
  }
  if (Array.isArray(value)) return value.map((item) => renderXml('member', item)).join('');
  return Object.entries(value)
    .map(([child, childValue]) => renderXml(child, childValue))
    .join('');
}

/**
 * Runs one query-protocol action and answers `<ActionResponse>` with the rendered result, or `<ErrorResponse>`
 * for an AwsError (the `Code` is the query error code, e.g. `AWS.SimpleQueueService.NonExistentQueue`).
 */
export async function answerQueryAction(
  res: ServerResponse,
  namespace: string,
  action: string,
  requestId: string,
  run: () => string | Promise<string>,
): Promise<void> {
  let result: string;
  try {
    result = await run();
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return answerQueryError(res, namespace, error, requestId);
  }
  sendXml(
    res,
    200,
    `<${action}Response xmlns="${namespace}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

/** `<ErrorResponse>` with the query error code and the query protocol's wording of the message. */
export function answerQueryError(res: ServerResponse, namespace: string, error: AwsError, requestId: string): void {
  sendXml(
    res,
    error.status,
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.queryCode)}</Code>` +
      `<Message>${escapeXml(error.queryMessage)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  const body = `<?xml version="1.0"?>${xml}`;
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
