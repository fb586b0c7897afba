// Readers for request parameters that fail the way SQS does (MissingParameter / InvalidParameterValue).
import { AwsError } from '../aws-error';

export function missingParameter(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}.`);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === '') throw missingParameter(name);
  if (typeof value !== 'string')
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a string.`);
  return value;
}

export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a string.`);
  return value;
}

/** An optional integer parameter within [min, max]; `reason` is the wording SQS uses for that parameter. */
export function optionalInteger(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  reason: string,
): number | undefined {
  const raw = input[name];
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameterValue(`Value ${String(raw)} for parameter ${name} is invalid. Reason: ${reason}`);
  }
  return value;
}

export function optionalList<T>(input: Record<string, unknown>, name: string): T[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a list.`);
  return value as T[];
}

export function optionalMap(input: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a map.`);
  }
  return value as Record<string, string>;
}

/** An optional list whose elements must all be strings (attribute names, tag keys). */
export function optionalStringList(input: Record<string, unknown>, name: string): string[] | undefined {
  const list = optionalList<unknown>(input, name);
  if (list && !list.every((item) => typeof item === 'string')) {
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a list of strings.`);
  }
  return list as string[] | undefined;
}

export function requiredStringList(input: Record<string, unknown>, name: string): string[] {
  const list = optionalStringList(input, name);
  if (!list || list.length === 0) throw missingParameter(name);
  return list;
}

/** An optional map whose values must all be strings (queue attributes, tags). */
export function optionalStringMap(input: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const map = optionalMap(input, name);
  if (map && !Object.values(map as Record<string, unknown>).every((value) => typeof value === 'string')) {
    throw invalidParameterValue(`Value for parameter ${name} is invalid. Reason: must be a map of strings.`);
  }
  return map;
}
