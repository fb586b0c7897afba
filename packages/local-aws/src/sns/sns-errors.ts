// Readers for SNS request parameters that fail the way SNS does (InvalidParameter, NotFound).
import { AwsError } from '../aws-error';

type Input = Record<string, unknown>;

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: ${message}`, { queryCode: 'InvalidParameter' });
}

export function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, { status: 404, queryCode: 'NotFound' });
}

export function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw invalidParameter(name);
  return value;
}

/** An optional `Attributes`-style map; every value must be a string. */
export function optionalStringMap(input: Input, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParameter(name);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw invalidParameter(`${name} Reason: the value of ${key} must be a string`);
  }
  return value as Record<string, string>;
}

/** An optional list (`Name.member.N`); clients send an empty list as `Name=`. */
export function optionalList(input: Input, name: string): unknown[] {
  const value = input[name];
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw invalidParameter(name);
  return value as unknown[];
}

export function requiredStringList(input: Input, name: string): string[] {
  const list = optionalList(input, name);
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw invalidParameter(name);
  }
  return list as string[];
}

/** SNS tags travel as a list of `{Key, Value}`; returned as a map. */
export function tagList(input: Input, name: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of optionalList(input, name)) {
    const { Key, Value } = (typeof item === 'object' && item !== null ? item : {}) as Input;
    if (typeof Key !== 'string') throw invalidParameter(`${name} Reason: every tag needs a Key`);
    tags[Key] = typeof Value === 'string' ? Value : '';
  }
  return tags;
}
