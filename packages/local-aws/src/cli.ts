#!/usr/bin/env node
// `local-aws [--host 127.0.0.1] [--port 4566]`: serves SNS + SQS until Ctrl-C.
import { parseArgs } from 'node:util';
import { startLocalAws } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: process.env.LOCAL_AWS_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.LOCAL_AWS_PORT ?? '4566' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: local-aws [--host 127.0.0.1] [--port 4566]\nSNS + SQS endpoint for the AWS SDK (in memory).\n',
    );
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  }
  const started = performance.now();
  const server = await startLocalAws({ host: values.host, port });
  process.stdout.write(
    `local-aws: SNS + SQS on ${server.endpoint} (ready in ${(performance.now() - started).toFixed(1)} ms)\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-aws: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
