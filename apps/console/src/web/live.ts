/**
 * The page's one live connection: an EventSource on `/api/events`. Every view renders from the latest snapshot;
 * scenario output is passed to whoever listens. The browser reconnects by itself when the stream drops.
 */
import { useEffect, useState } from 'react';
import type { LiveEvent, Snapshot } from '../shared/console-api';

type Listener = (event: LiveEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | undefined;
let latest: Snapshot | undefined;
let connected = false;

function connect(): void {
  if (source) return;
  source = new EventSource('/api/events');
  source.onopen = () => {
    connected = true;
  };
  source.onerror = () => {
    connected = false;
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as LiveEvent;
    if (event.type === 'snapshot') latest = event.snapshot;
    for (const listener of listeners) listener(event);
  };
}

export function onLiveEvent(listener: Listener): () => void {
  connect();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The latest snapshot, re-rendering on each new one. */
export function useSnapshot(): { snapshot: Snapshot | undefined; connected: boolean } {
  const [snapshot, setSnapshot] = useState<Snapshot | undefined>(latest);
  useEffect(
    () =>
      onLiveEvent((event) => {
        if (event.type === 'snapshot') setSnapshot(event.snapshot);
      }),
    [],
  );
  return { snapshot, connected };
}
