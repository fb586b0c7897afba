/**
 * How the browser tests start Debian's Chromium (`apt-get install chromium`): Playwright's own browser downloads need
 * hosts this project's CI cannot reach, so playwright-core drives the system browser. Without the background-networking
 * and component-update switches Chromium keeps calling Google's hosts, which a closed network refuses many at a time.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox', // the tests may run as root (CI containers), where Chromium's sandbox refuses to start
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
