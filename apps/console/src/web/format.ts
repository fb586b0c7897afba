/** Small display helpers shared by the views. */
export const money = (value: { amountMinor: number; currency: string } | null | undefined) =>
  value ? `${(value.amountMinor / 100).toFixed(2)} ${value.currency}` : '—';

export const shortId = (id: string) => id.slice(0, 8);

export const percent = (rate: number) => `${Math.round(rate * 100)}%`;

export const millis = (ms: number) => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(2)} s`);

export const between = (from: string, to: string) => new Date(to).getTime() - new Date(from).getTime();
