import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SetupOutlivedTeardownError, testResources } from '../src/testing';

function resource(name: string, closed: string[]) {
  return { name, close: async () => void closed.push(name) };
}

describe('testResources', () => {
  it('closes what a setup tracked, last created first', async () => {
    const closed: string[] = [];
    const resources = testResources('none');
    await resources.setup(async (track) => {
      await track(resource('database', closed));
      await track(Promise.resolve(resource('app', closed)));
      await track({ stop: async () => void closed.push('relay') }, (relay) => relay.stop());
    });
    await resources.closeAll();
    expect(closed).toEqual(['relay', 'app', 'database']);
    await resources.closeAll();
    expect(closed).toHaveLength(3); // nothing is closed twice
  });

  it('closes a resource that arrives after teardown at once, and stops the late setup there', async () => {
    const closed: string[] = [];
    const resources = testResources('none');
    let arrive!: () => void;
    const late = new Promise<void>((resolve) => (arrive = resolve)).then(() => resource('late database', closed));
    let continued = false;
    const setup = resources.setup(async (track) => {
      await track(late);
      continued = true;
      await track(resource('never opened', closed));
    });
    await resources.closeAll(); // the after-hook ran while the setup was still waiting (it timed out)
    arrive();
    await expect(setup).rejects.toBeInstanceOf(SetupOutlivedTeardownError);
    expect(closed).toEqual(['late database']);
    expect(continued).toBe(false);
  });

  it('keeps the runs apart: a late arrival from one setup never joins the next one', async () => {
    const closed: string[] = [];
    const resources = testResources('none');
    let arrive!: () => void;
    const first = resources.setup((track) =>
      track(new Promise<void>((resolve) => (arrive = resolve)).then(() => resource('first', closed))),
    );
    await resources.closeAll();
    await resources.setup((track) => track(resource('second', closed)));
    arrive();
    await expect(first).rejects.toBeInstanceOf(SetupOutlivedTeardownError);
    expect(closed).toEqual(['first']);
    await resources.closeAll();
    expect(closed).toEqual(['first', 'second']);
  });

  it('closes everything even when one close fails, then reports the failure', async () => {
    const closed: string[] = [];
    const resources = testResources('none');
    await resources.setup(async (track) => {
      await track(resource('database', closed));
      await track({ close: async () => Promise.reject(new Error('socket already gone')) });
    });
    await expect(resources.closeAll()).rejects.toThrow('socket already gone');
    expect(closed).toEqual(['database']);
  });

  // The regression itself, in a real jest process: a beforeEach times out while PGlite is still opening.
  it('lets a jest run whose beforeEach timed out fail and exit, closing the database that opened late', async () => {
    const packageRoot = join(__dirname, '..');
    const child = spawn(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--rootDir',
        packageRoot,
        '--roots',
        '<rootDir>/test/fixtures/late-setup',
        '--testMatch',
        '**/*.fixture.ts',
        '--ci',
        '--watchman=false',
      ],
      {
        cwd: packageRoot,
        env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // If the late database were left open, the child would never exit: kill it so this test fails, not hangs.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    clearTimeout(guard);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(output).toContain('Exceeded timeout of 50 ms for a hook');
    expect(output).toContain('LATE-DATABASE-CLOSED');
    expect(output).not.toContain('Jest did not exit'); // what the same file printed, then hung, before testResources
  }, 120_000);
});
