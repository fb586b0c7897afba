/** Provider states are set up through the provider's API: a refused set-up request must stop the verification. */
interface InjectResult {
  statusCode: number;
  body: string;
}

export function expectStatus<R extends InjectResult>(response: R, ...expected: number[]): R {
  if (!expected.includes(response.statusCode)) {
    throw new Error(
      `provider state set-up answered ${response.statusCode} (expected ${expected.join(' or ')}): ${response.body}`,
    );
  }
  return response;
}
