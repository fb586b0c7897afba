// A rule of every list of order lines (an order, a reservation): each sku appears once. Quantities are the caller's
// to add up; two lines for one sku would make "reserve 2 + reserve 3" mean different things to different services.

/** Some skus were listed more than once. */
export class RepeatedSkuError extends Error {
  override readonly name = 'RepeatedSkuError';
  constructor(readonly skus: readonly string[]) {
    super(`Listed more than once: ${skus.join(', ')}`);
  }
}

/** Throws RepeatedSkuError naming every sku that appears more than once. */
export function assertEachSkuOnce(lines: readonly { sku: string }[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { sku } of lines) (seen.has(sku) ? repeated : seen).add(sku);
  if (repeated.size > 0) throw new RepeatedSkuError([...repeated]);
}
