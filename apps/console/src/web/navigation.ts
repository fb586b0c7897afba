/** Views are named by the address (`#sagas/<id>`), so they can be linked, bookmarked and reached like any page. */
export const VIEWS = [
  { id: 'storefront', label: 'Storefront' },
  { id: 'sagas', label: 'Saga timeline' },
  { id: 'map', label: 'Service map' },
  { id: 'queues', label: 'Queues' },
  { id: 'traces', label: 'Traces' },
  { id: 'faults', label: 'Fault switches' },
  { id: 'scenarios', label: 'Scenarios' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

/** `#sagas/0190…` → view `sagas`, subject `0190…` (the saga or trace the view opens). */
export function readLocation(): { view: ViewId; subject?: string } {
  const [view, subject] = window.location.hash.replace(/^#/, '').split('/');
  const known = VIEWS.find((candidate) => candidate.id === view);
  return { view: known?.id ?? 'storefront', ...(subject ? { subject: decodeURIComponent(subject) } : {}) };
}

export const linkTo = (view: ViewId, subject?: string) =>
  subject ? `#${view}/${encodeURIComponent(subject)}` : `#${view}`;
