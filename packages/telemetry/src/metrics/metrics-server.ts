/**
 * `/metrics` on a listener of its own, for a process whose main port is public (the gateway): Prometheus reaches
 * the internal port, clients only ever see the API. A bare `node:http` server — no framework, no routes but one —
 * so nothing the public app registers (plugins, hooks, fault injection) can expose it by accident.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  registry: Registry;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (tests, several processes on one machine). */
  port: number;
}

export interface MetricsServer {
  /** Starts listening; resolves with the scrape URL, e.g. `http://127.0.0.1:9464/metrics`. */
  listen(): Promise<string>;
  /** The scrape URL once listening. */
  readonly url: string | undefined;
  close(): Promise<void>;
}

export function createMetricsServer({ registry, host = '127.0.0.1', port }: MetricsServerOptions): MetricsServer {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  let url: string | undefined;
  return {
    get url() {
      return url;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          url = `http://${shownHost}:${address.port}/metrics`;
          resolve(url);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
