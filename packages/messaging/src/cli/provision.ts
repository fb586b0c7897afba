#!/usr/bin/env node
// `pnpm provision`: create the system topology (topics, queues, DLQs, subscriptions) on AWS_ENDPOINT_URL / AWS.
import { systemTopology } from '@shop/contracts';
import { createAwsClients, destroyAwsClients } from '../aws-clients';
import { provisionTopology } from '../provision-topology';

async function main(): Promise<void> {
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
