import { check, type Scenario } from '../scenario';
import { newCustomer } from '../shop-actions';

export const rateLimit: Scenario = {
  id: 5,
  title: 'Rate limiting at the gateway → 429 with Retry-After',
  lesson: 'Each customer has a budget per window; over it, the gateway answers 429 before any service does work.',
  async run(context) {
    const { gateway, out } = context;
    const customer = await newCustomer(context, 'Edsger');
    let sent = 0;
    let limited: Awaited<ReturnType<typeof gateway.get>> | undefined;
    for (; sent < 2_000 && !limited; sent++) {
      const response = await gateway.get('/api/products?limit=1', { token: customer.token, quiet: true });
      if (response.status === 429) limited = response;
      else check(response.status === 200, `products answered ${response.status}`);
    }
    check(limited, 'no request was limited');
    out.request('GET', '/api/products?limit=1', 429, limited.ms, `after ${sent - 1} requests in the window`);
    for (const header of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after']) {
      out.figure(header, limited.headers.get(header) ?? '(absent)');
    }
    check(limited.headers.get('retry-after'), '429 without Retry-After');
    check(String(limited.headers.get('content-type')).includes('application/problem+json'), '429 is not problem+json');
  },
};
