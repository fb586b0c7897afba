/**
 * The gateway as an operator runs it (`node dist/main.js`): its public port never serves /metrics; Prometheus
 * scrapes the internal METRICS_PORT listener instead (0 here: a free port, announced in the log).
 */
import { startServiceProcess } from '@shop/testing';
import { join } from 'node:path';

const main = join(__dirname, '..', 'dist', 'main.js');

it('serves /metrics on its own internal listener, not on the public port', async () => {
  const gateway = startServiceProcess({ main, env: { PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'info' } });
  try {
    const url = await gateway.url;
    const metricsUrl = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)".*"msg":"metrics listening"/.exec(
          gateway.output().stdout,
        );
        if (match) {
          clearInterval(poll);
          resolve(match[1]!);
        }
      }, 20);
      void gateway.exited.then(() => {
        clearInterval(poll);
        reject(new Error(`gateway exited: ${gateway.output().stderr}`));
      });
    });

    const publicMetrics = await fetch(`${url}/metrics`);
    expect(publicMetrics.status).toBe(404);
    expect(publicMetrics.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    const scraped = await fetch(metricsUrl);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toContain('http_server_requests_total');
    expect(text).toContain('service="gateway"');
    expect(new URL(metricsUrl).port).not.toBe(new URL(url).port);

    expect(await gateway.stop()).toEqual({ code: 0, signal: null });
  } finally {
    gateway.child.kill('SIGKILL');
  }
});
