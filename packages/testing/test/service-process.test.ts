import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess } from '../src';

// Stand-ins for a service's dist/main.js: one that listens like Fastify logs it, one that refuses its configuration.
const listening = `
const server = require('node:http').createServer((req, res) => res.end(process.env.GREETING));
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'Server listening at http://127.0.0.1:' + server.address().port })));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;
const refusing = `console.error('fake-service: Invalid configuration: PORT="abc"'); process.exit(1);`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'service-process-'));
  await writeFile(join(dir, 'listening.js'), listening);
  await writeFile(join(dir, 'refusing.js'), refusing);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('finds the URL in the listening line, passes the environment, and reports a graceful exit', async () => {
  const service = startServiceProcess({ main: join(dir, 'listening.js'), env: { GREETING: 'hello' } });
  try {
    const url = await service.url;
    expect(await (await fetch(url)).text()).toBe('hello');
    expect(service.output().stdout).toContain('Server listening at');
    expect(await service.stop()).toEqual({ code: 0, signal: null });
  } finally {
    service.child.kill('SIGKILL');
  }
});

it('rejects the URL when the process exits first, with its stderr kept', async () => {
  const service = startServiceProcess({ main: join(dir, 'refusing.js'), env: {} });
  expect(await service.exited).toEqual({ code: 1, signal: null });
  expect(service.output().stderr).toBe('fake-service: Invalid configuration: PORT="abc"\n');
  await expect(service.url).rejects.toThrow('exited before listening (1): fake-service: Invalid configuration');
});

it("reports the start-up phases from the service's own log lines, and keeps its last lines when it dies", async () => {
  const phases: string[] = [];
  const script = `
console.log(JSON.stringify({ phase: 'migrations', applied: ['a.sql', 'b.sql'], msg: 'database migrated' }));
console.log('not json');
console.log(JSON.stringify({ phase: 'listening', url: 'http://127.0.0.1:1', msg: 'listening' }));
console.error('Error: the broker is gone');
process.exit(3);
`;
  await writeFile(join(dir, 'dying.js'), script);
  const service = startServiceProcess({
    main: join(dir, 'dying.js'),
    env: { PORT: '1' },
    onPhase: (phase, detail) => phases.push(`${phase} ${detail}`),
  });
  await expect(service.waitUntilReady(10_000)).rejects.toThrow('exited during start-up (3)');
  expect(phases).toEqual(['migrations 2 applied', 'listening http://127.0.0.1:1']);
  expect(service.lastLines()).toContain('Error: the broker is gone');
});
