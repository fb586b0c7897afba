#!/usr/bin/env node
// `pnpm dlq list|show|redrive <queue> [messageId…]`: inspect a consumer's dead letters and move them back.
import { createAwsClients, destroyAwsClients } from '../aws-clients';
import { listDeadLetters, redriveDeadLetters } from '../dlq/dead-letter-tools';

const USAGE = `usage: dlq list <queue>
       dlq show <queue> <messageId>
       dlq redrive <queue> [messageId…]      (all messages when no id is given)
<queue> is the consumer's queue, e.g. order-service; its DLQ is <queue>-dlq. Uses AWS_ENDPOINT_URL / AWS_REGION.
Redriving all messages starts an SQS message move task (StartMessageMoveTask, as the AWS console does) and waits
for it; redriving chosen ids copies those back one by one (a move task cannot pick messages).`;

async function main(argv: string[]): Promise<number> {
  const [command, queue, ...ids] = argv;
  if (!command || !queue || !['list', 'show', 'redrive'].includes(command) || (command === 'show' && !ids[0])) {
    console.error(USAGE);
    return 2;
  }
  const clients = createAwsClients();
  try {
    if (command === 'redrive') {
      const moved = await redriveDeadLetters(clients.sqs, queue, ids.length > 0 ? ids : undefined);
      console.log(`moved ${moved} message(s) from ${queue}-dlq back to ${queue}`);
      return 0;
    }
    const letters = await listDeadLetters(clients.sqs, queue);
    if (command === 'show') {
      const letter = letters.find((l) => l.messageId === ids[0]);
      if (!letter) {
        console.error(`no message ${ids[0]} in ${queue}-dlq`);
        return 1;
      }
      console.log(JSON.stringify({ ...letter, body: tryParse(letter.body) }, null, 2));
      return 0;
    }
    if (letters.length === 0) console.log(`${queue}-dlq is empty`);
    for (const l of letters) {
      const reason = l.reason ?? `failed ${l.receiveCount - 1} time(s) (maxReceiveCount)`;
      console.log(`${l.messageId}  ${l.eventType ?? '?'}  ${l.aggregateId ?? '?'}  ${reason}`);
    }
    return 0;
  } finally {
    destroyAwsClients(clients);
  }
}

function tryParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
