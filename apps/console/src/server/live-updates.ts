/**
 * Server-Sent Events to every open page: a fresh snapshot every `refreshMs` while at least one page listens (and
 * none at all otherwise), plus scenario output as it happens. One loop serves every page, so ten open tabs cost the
 * services what one does. On close, every stream is ended so the server can drain.
 */
import type { FastifyReply } from '@shop/service-kit';
import type { LiveEvent, Snapshot } from '../shared/console-api';

export interface LiveUpdatesOptions {
  refreshMs: number;
  takeSnapshot: () => Promise<Snapshot>;
  onError?: (error: unknown) => void;
}

export class LiveUpdates {
  private readonly pages = new Set<FastifyReply>();
  private timer: NodeJS.Timeout | undefined;
  private latest: Snapshot | undefined;
  private closed = false;

  constructor(private readonly options: LiveUpdatesOptions) {}

  /** Takes over the reply as an event stream until the page goes away. */
  attach(reply: FastifyReply): void {
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Tells proxies (nginx and the like) not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    reply.raw.write('retry: 2000\n\n');
    this.pages.add(reply);
    reply.raw.on('close', () => this.pages.delete(reply));
    if (this.latest) this.write(reply, { type: 'snapshot', snapshot: this.latest });
    this.schedule(0);
  }

  broadcast(event: LiveEvent): void {
    for (const page of this.pages) this.write(page, event);
  }

  /** A snapshot now (after an action), without waiting for the next tick. */
  refreshSoon(): void {
    if (this.pages.size > 0) this.schedule(50);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const page of this.pages) page.raw.end();
    this.pages.clear();
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.pages.size === 0) return; // nobody watches: stop polling the services
    try {
      this.latest = await this.options.takeSnapshot();
      this.broadcast({ type: 'snapshot', snapshot: this.latest });
    } catch (error) {
      this.options.onError?.(error);
    }
    this.schedule(this.options.refreshMs);
  }

  private write(page: FastifyReply, event: LiveEvent): void {
    page.raw.write(`data: ${JSON.stringify(event)}\n\n`);
  }
}
