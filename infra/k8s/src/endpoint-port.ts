/** The TCP port a URL connects to, its scheme's default when it names none (what a NetworkPolicy has to open). */
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'http:': 80,
  'https:': 443,
  'redis:': 6379,
  'rediss:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
};

export function portOf(url: string): number {
  const parsed = new URL(url);
  if (parsed.port) return Number(parsed.port);
  const port = DEFAULT_PORTS[parsed.protocol];
  if (port === undefined) throw new Error(`${url}: no default port known for ${parsed.protocol}`);
  return port;
}
