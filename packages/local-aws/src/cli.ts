#!/usr/bin/env node
// `local-aws [--host 127.0.0.1] [--port 4566] [--state-file FILE] [--admin-from-anywhere]`: serves SNS, SQS and
// STS until SIGINT/SIGTERM, then writes the state file (when given) and exits.
import { parseArgs } from 'node:util';
import { startLocalAws } from './server';

const USAGE = `Usage: local-aws [--host 127.0.0.1] [--port 4566] [--state-file FILE] [--admin-from-anywhere]
SNS + SQS (+ STS GetCallerIdentity) endpoint for the AWS SDK and CLI.
  --host, --port           where to listen (LOCAL_AWS_HOST, LOCAL_AWS_PORT)
  --state-file FILE        restore topics, queues and messages from FILE on start, save them there on shutdown
                           (LOCAL_AWS_STATE); without it everything is in memory only
  --admin-from-anywhere    serve /_local/state and /_local/reset to any caller, not only loopback
                           (LOCAL_AWS_ADMIN=any)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: process.env.LOCAL_AWS_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.LOCAL_AWS_PORT ?? '4566' },
      'state-file': { type: 'string', default: process.env.LOCAL_AWS_STATE || undefined },
      'admin-from-anywhere': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  const adminEnv = process.env.LOCAL_AWS_ADMIN;
  if (adminEnv !== undefined && adminEnv !== 'any' && adminEnv !== 'loopback') {
    throw new Error(`LOCAL_AWS_ADMIN must be "loopback" or "any", got "${adminEnv}"`);
  }
  const adminAccess = values['admin-from-anywhere'] || adminEnv === 'any' ? 'any' : 'loopback';
  const stateFile = values['state-file'];
  const started = performance.now();
  const server = await startLocalAws({ host: values.host, port, stateFile, adminAccess });
  process.stdout.write(
    `local-aws: SNS + SQS on ${server.endpoint} (ready in ${(performance.now() - started).toFixed(1)} ms)` +
      `${stateFile ? `, state file ${stateFile}` : ''}\n` +
      // The line LocalStack prints when it can take requests; tools (e.g. Testcontainers) wait for it.
      'Ready.\n',
  );
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`local-aws: could not save state: ${error instanceof Error ? error.message : error}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-aws: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
