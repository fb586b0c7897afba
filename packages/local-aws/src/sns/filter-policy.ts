// SNS subscription filter policies: validation (an invalid policy is InvalidParameter) and matching against a
// message's attributes or its JSON body, following the operators AWS documents.
import { AwsError } from '../aws-error';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A value as the policy sees it: strings, numbers, booleans and null (body only), arrays flattened. */
type Scalar = string | number | boolean | null;

interface Resolved {
  present: boolean;
  values: Scalar[];
}

/** Looks up a (possibly nested) key in whatever the policy is applied to. */
type Lookup = (path: string[]) => Resolved;

type Condition =
  | { kind: 'exact'; value: Scalar }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'anything-but'; values: Scalar[] }
  | { kind: 'anything-but-prefix'; value: string }
  | { kind: 'anything-but-suffix'; value: string }
  | { kind: 'numeric'; bounds: Array<{ op: string; value: number }> }
  | { kind: 'exists'; value: boolean };

interface PolicyNode {
  leaves: Array<{ key: string; conditions: Condition[] }>;
  children: Array<{ key: string; node: PolicyNode }>;
  alternatives: PolicyNode[][];
}

export interface FilterPolicy {
  root: PolicyNode;
  scope: FilterPolicyScope;
}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function invalid(reason: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: FilterPolicy: ${reason}`, {
    queryCode: 'InvalidParameter',
  });
}

export function parseFilterPolicyScope(value: string | undefined): FilterPolicyScope {
  if (value === undefined || value === '' || value === 'MessageAttributes') return 'MessageAttributes';
  if (value === 'MessageBody') return 'MessageBody';
  throw new AwsError(
    'InvalidParameterException',
    'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [' +
      value +
      ']. Please use either MessageBody or MessageAttributes',
    { queryCode: 'InvalidParameter' },
  );
}

/** Parses and validates a policy; throws InvalidParameter with AWS's style of reason. */
export function parseFilterPolicy(text: string, scope: FilterPolicyScope): FilterPolicy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid('failed to parse JSON.');
  }
  if (!isObject(json)) throw invalid('Filter policy must be a JSON object');
  const root = parseNode(json, scope);
  if (countKeys(root) > MAX_KEYS) throw invalid(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (countCombinations(root) > MAX_COMBINATIONS) throw invalid('Filter policy is too complex');
  return { root, scope };
}

function parseNode(json: Record<string, unknown>, scope: FilterPolicyScope): PolicyNode {
  const node: PolicyNode = { leaves: [], children: [], alternatives: [] };
  if (Object.keys(json).length === 0) throw invalid('Empty objects are not allowed');
  for (const [key, value] of Object.entries(json)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw invalid('$or must be an array of at least two objects');
      }
      node.alternatives.push((value as Array<Record<string, unknown>>).map((branch) => parseNode(branch, scope)));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalid(`Empty arrays are not allowed`);
      node.leaves.push({ key, conditions: value.map(parseCondition) });
    } else if (isObject(value)) {
      if (scope === 'MessageAttributes') {
        throw invalid(`"${key}" must be an array: nested keys need FilterPolicyScope MessageBody`);
      }
      node.children.push({ key, node: parseNode(value, scope) });
    } else {
      throw invalid(`"${key}" must be an object or an array`);
    }
  }
  return node;
}

function parseCondition(raw: unknown): Condition {
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return { kind: 'exact', value: raw };
  if (typeof raw === 'number') return { kind: 'exact', value: raw };
  if (!isObject(raw)) throw invalid('Match value must be String, number, true, false, or null');
  const entries = Object.entries(raw);
  if (entries.length !== 1) throw invalid('Only one key allowed in match expression');
  const [operator, operand] = entries[0];
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw invalid(`${operator} match pattern must be a string`);
      return { kind: operator, value: operand };
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid('exists match pattern must be either true or false.');
      return { kind: 'exists', value: operand };
    case 'numeric':
      return { kind: 'numeric', bounds: parseNumeric(operand) };
    case 'anything-but':
      return parseAnythingBut(operand);
    default:
      throw invalid(`Unrecognized match type ${operator}`);
  }
}

function parseNumeric(operand: unknown): Array<{ op: string; value: number }> {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw invalid('Value of numeric must be an array of one or two comparisons.');
  }
  const bounds: Array<{ op: string; value: number }> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i] as unknown;
    const value = operand[i + 1] as unknown;
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op))
      throw invalid(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`Value of ${op} must be numeric`);
    bounds.push({ op, value });
  }
  if (bounds.length === 2) {
    const [low, high] = bounds;
    if (!low.op.startsWith('>') || !high.op.startsWith('<')) throw invalid('Too many elements in numeric expression');
    if (low.value >= high.value) throw invalid('Bottom must be less than top');
  }
  return bounds;
}

function parseAnythingBut(operand: unknown): Condition {
  if (typeof operand === 'string' || typeof operand === 'number') return { kind: 'anything-but', values: [operand] };
  if (Array.isArray(operand)) {
    if (operand.length === 0 || !operand.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw invalid('Inside anything but list, start|null|boolean is not supported.');
    }
    return { kind: 'anything-but', values: operand as Scalar[] };
  }
  if (isObject(operand)) {
    const entries = Object.entries(operand);
    const [operator, value] = entries.length === 1 ? entries[0] : ['', undefined];
    if ((operator === 'prefix' || operator === 'suffix') && typeof value === 'string') {
      return { kind: operator === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value };
    }
    throw invalid('Unsupported anything-but pattern: ' + JSON.stringify(operand));
  }
  throw invalid('Value of anything-but must be an array or single string/number value.');
}

function countKeys(node: PolicyNode): number {
  const own = node.leaves.length + node.children.reduce((sum, child) => sum + countKeys(child.node), 0);
  return own + node.alternatives.reduce((sum, branches) => sum + Math.max(...branches.map(countKeys)), 0);
}

function countCombinations(node: PolicyNode): number {
  let product = 1;
  for (const leaf of node.leaves) product *= leaf.conditions.length;
  for (const child of node.children) product *= countCombinations(child.node);
  for (const branches of node.alternatives)
    product *= branches.reduce((sum, branch) => sum + countCombinations(branch), 0);
  return product;
}

// ---- matching ---------------------------------------------------------------------------------------------------

export interface FilterableMessage {
  body: string;
  /** SNS message attributes: `Type` and the string (or base64) `Value`. */
  attributes: Record<string, { Type: string; Value: string }>;
}

export function matchesFilterPolicy(policy: FilterPolicy, message: FilterableMessage): boolean {
  if (policy.scope === 'MessageAttributes') return matchNode(policy.root, [], attributeLookup(message.attributes));
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false; // a body-scoped policy never matches a body that is not JSON
  }
  if (!isObject(body)) return false;
  return matchNode(policy.root, [], bodyLookup(body));
}

function matchNode(node: PolicyNode, path: string[], lookup: Lookup): boolean {
  for (const leaf of node.leaves) {
    if (!matchLeaf(leaf.conditions, lookup([...path, leaf.key]))) return false;
  }
  for (const child of node.children) {
    if (!matchNode(child.node, [...path, child.key], lookup)) return false;
  }
  for (const branches of node.alternatives) {
    if (!branches.some((branch) => matchNode(branch, path, lookup))) return false;
  }
  return true;
}

function matchLeaf(conditions: Condition[], resolved: Resolved): boolean {
  return conditions.some((condition) =>
    condition.kind === 'exists'
      ? condition.value === resolved.present
      : resolved.values.some((value) => matchValue(condition, value)),
  );
}

function matchValue(condition: Exclude<Condition, { kind: 'exists' }>, value: Scalar): boolean {
  switch (condition.kind) {
    case 'exact':
      return sameValue(condition.value, value);
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'anything-but':
      return !condition.values.some((excluded) => sameValue(excluded, value));
    case 'anything-but-prefix':
      return typeof value === 'string' && !value.startsWith(condition.value);
    case 'anything-but-suffix':
      return typeof value === 'string' && !value.endsWith(condition.value);
    case 'numeric':
      return typeof value === 'number' && condition.bounds.every(({ op, value: bound }) => compare(op, value, bound));
  }
}

function sameValue(expected: Scalar, actual: Scalar): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return fixedPoint(expected) === fixedPoint(actual);
  return expected === actual; // no coercion: the string "5" never equals the number 5
}

/**
 * SNS compares numbers "with five digits of precision after the decimal point", so 1.000001 equals 1 and
 * 0.000001 is not greater than 0: both sides are compared as whole numbers of hundred-thousandths.
 */
function fixedPoint(value: number): number {
  return Math.round(value * 100_000);
}

function compare(op: string, actual: number, limit: number): boolean {
  const value = fixedPoint(actual);
  const bound = fixedPoint(limit);
  switch (op) {
    case '=':
      return value === bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '>':
      return value > bound;
    default:
      return value >= bound;
  }
}

/** Attribute scope: String → string, Number → number, String.Array → its elements; Binary only "exists". */
function attributeLookup(attributes: FilterableMessage['attributes']): Lookup {
  return ([name]) => {
    const attribute = attributes[name];
    if (!attribute) return { present: false, values: [] };
    const type = attribute.Type.split('.')[0];
    if (attribute.Type === 'String.Array') {
      try {
        const parsed = JSON.parse(attribute.Value) as unknown;
        return { present: true, values: Array.isArray(parsed) ? (parsed.filter(isScalar) as Scalar[]) : [] };
      } catch {
        return { present: true, values: [] };
      }
    }
    if (type === 'Number') return { present: true, values: [Number(attribute.Value)] };
    if (type === 'String') return { present: true, values: [attribute.Value] };
    return { present: true, values: [] };
  };
}

/** Body scope: walks nested keys, flattening arrays at every level as AWS does. */
function bodyLookup(body: Record<string, unknown>): Lookup {
  return (path) => {
    let current: unknown[] = [body];
    for (const key of path) {
      const next: unknown[] = [];
      for (const item of current.flatMap((value) => (Array.isArray(value) ? value : [value]))) {
        if (isObject(item) && key in item) next.push(item[key]);
      }
      if (next.length === 0) return { present: false, values: [] };
      current = next;
    }
    const values = current.flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isScalar) as Scalar[];
    return { present: true, values };
  };
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
