/**
 * Recognises "the dependency cannot be reached" among thrown errors, whatever the client library: the one list of
 * signs that a breaker may count because they say nothing about the request and everything about the dependency.
 * The service client, the gateway's proxy and the database error classifier all read it.
 */

/**
 * Node's socket and DNS errors, and undici's, for a connection that could not be made or broke mid-call.
 * Left out on purpose: errors about our own side (a pool we closed, an invalid header or URL we built), which a
 * caller can provoke and which would open the circuit for everyone.
 */
const CONNECTION_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', // nothing listens: the process is down
  'ECONNRESET', // the peer dropped the connection
  'ECONNABORTED',
  'EPIPE', // wrote to a connection the peer had closed
  'ETIMEDOUT', // the OS gave up connecting
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND', // the name does not resolve
  'EAI_AGAIN', // DNS is failing for now
  'UND_ERR_SOCKET', // undici: "other side closed"
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** How far down `cause` chains to look: fetch wraps the socket error once, our own errors wrap fetch's. */
const MAX_DEPTH = 5;

/**
 * True when `error`, or an error it wraps (`cause`, or one of an AggregateError's `errors`, as Node reports a
 * refused connection to a name with both IPv4 and IPv6 addresses), carries a connection failure code.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && CONNECTION_FAILURE_CODES.has(code)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isConnectionFailure(inner, depth + 1))) return true;
  return isConnectionFailure(cause, depth + 1);
}
