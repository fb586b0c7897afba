#!/usr/bin/env node
/**
 * `pnpm provision`: creates the system topology (topics, queues, DLQs, subscriptions) on AWS_ENDPOINT_URL, or on AWS
 * when it is unset. A deploy step, run before the services start (the demo, compose's `provision` job; the CDK stack
 * on AWS): services never create queues. Idempotent: a second run changes nothing.
 */
import { systemTopology } from '@shop/contracts';
import { createAwsClients, destroyAwsClients } from '../aws-clients';
import { provisionTopology } from '../provision-topology';

async function main(): Promise<void> {
  const target = process.env.AWS_ENDPOINT_URL || `AWS (${process.env.AWS_REGION ?? 'us-east-1'})`;
  console.log(`provisioning the system topology on ${target}`);
  const clients = createAwsClients();
  try {
    await provisionTopology(clients, systemTopology, { log: (line) => console.log(line) });
  } finally {
    destroyAwsClients(clients);
  }
}

main().catch((error: unknown) => {
  console.error(`provision failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
