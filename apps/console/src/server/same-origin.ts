/**
 * The console holds service credentials and changes things (faults, redrives) for whoever can load its page, so it
 * must only serve pages on this machine: a request for an unknown host name is refused (a DNS-rebinding page calls
 * itself evil.example but resolves to 127.0.0.1), and a state-changing request from a page of another origin is
 * refused (cross-site request forgery). Requests without an Origin (curl, the healthcheck) are not from a page.
 */
import { HttpProblem, type ServiceApp } from '@shop/service-kit';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseForeignPages(app: ServiceApp, allowedHosts: readonly string[]): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host ?? '';
    const hostname = hostnameOf(host);
    if (!hostname || !allowedHosts.includes(hostname)) {
      throw new HttpProblem(
        403,
        'unknown-host',
        'Unknown host',
        `the console is not served as "${host}" (ALLOWED_HOSTS)`,
      );
    }
    const origin = request.headers.origin;
    if (SAFE_METHODS.has(request.method) || origin === undefined) return;
    if (hostOf(origin) !== hostOf(`http://${host}`)) {
      throw new HttpProblem(
        403,
        'cross-origin',
        'Cross-origin request refused',
        `a page from ${origin} may not do this`,
      );
    }
  });
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
