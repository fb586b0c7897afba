// The optional state file: topics, subscriptions, queues, messages and move tasks as JSON, read on start and
// written on shutdown, so a restart keeps the topology and what was in flight.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SnsSnapshot } from './sns/sns-service';
import type { SqsSnapshot } from './sqs/sqs-service';

export interface LocalAwsSnapshot {
  sqs: SqsSnapshot;
  sns: SnsSnapshot;
}

interface StateFile extends LocalAwsSnapshot {
  format: typeof FORMAT;
  savedAt: string;
}

/** Bumped when the layout changes, so an old file is refused with a clear message instead of half-read. */
const FORMAT = 'local-aws-state/1';

/** The snapshot in `path`, or undefined when there is no file yet (the first start). */
export async function readStateFile(path: string): Promise<LocalAwsSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<StateFile>;
  try {
    parsed = JSON.parse(text) as Partial<StateFile>;
  } catch {
    // Refusing to start beats starting empty and overwriting the file on the next shutdown.
    throw new Error(`state file ${path} is not valid JSON; fix or remove it`);
  }
  if (parsed.format !== FORMAT || !parsed.sqs || !parsed.sns) {
    throw new Error(`state file ${path} is not a ${FORMAT} snapshot (format: ${String(parsed.format)}); remove it`);
  }
  return { sqs: parsed.sqs, sns: parsed.sns };
}

/** Writes atomically (a temporary file renamed over the old one): a crash mid-write leaves the last snapshot. */
export async function writeStateFile(path: string, snapshot: LocalAwsSnapshot): Promise<void> {
  const file: StateFile = { format: FORMAT, savedAt: new Date().toISOString(), ...snapshot };
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(file));
  await rename(temporary, path);
}
