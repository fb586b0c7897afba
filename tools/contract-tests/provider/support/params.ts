/** Provider-state parameters arrive as loose JSON; these read one with the type the state promises, or fail loudly. */
type Params = Record<string, unknown> | undefined;

export function stringParam(params: unknown, name: string): string {
  const value = (params as Params)?.[name];
  if (typeof value !== 'string')
    throw new Error(`provider state parameter "${name}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function integerParam(params: unknown, name: string): number {
  const value = (params as Params)?.[name];
  if (!Number.isInteger(value))
    throw new Error(`provider state parameter "${name}" must be an integer, got ${JSON.stringify(value)}`);
  return value as number;
}
