// How many requests of each action the endpoint has answered since it started, e.g. `sqs:ReceiveMessage` — served at
// `GET /_local/requests`. What a client's work costs in calls (`pnpm bench` reads it per confirmed order); a
// reset of the state does not clear it.
export type RequestService = 'sqs' | 'sns' | 'sts';

export class RequestCounts {
  private readonly counts = new Map<string, number>();

  count(service: RequestService, action: string | undefined): void {
    const key = `${service}:${action || 'unknown'}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Sorted by name, so two snapshots compare line by line. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
