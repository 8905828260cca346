import { type AttributeValue, attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { serializationException, validationException } from '../../errors.js';
import type { Constraints } from '../../validation/Constraints.js';
import { compareValues, isOrderable } from '../attributes/compareValues.js';
import { validateItem } from '../attributes/validateItem.js';
import type { Comparator } from '../expressions/ast.js';
import type { Condition } from '../expressions/index.js';

/** DynamoDB's own listing of the operators, in the order its enum message prints them. */
const COMPARISON_OPERATORS = [
  'IN',
  'NULL',
  'BETWEEN',
  'LT',
  'NOT_CONTAINS',
  'EQ',
  'GT',
  'NOT_NULL',
  'NE',
  'LE',
  'BEGINS_WITH',
  'GE',
  'CONTAINS',
] as const;
type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** One entry of the legacy QueryFilter, ScanFilter or KeyConditions maps, checked. */
interface LegacyCondition {
  readonly attribute: string;
  readonly operator: ComparisonOperator;
  readonly values: readonly AttributeValue[];
}

interface WireCondition {
  readonly ComparisonOperator?: unknown;
  readonly AttributeValueList?: unknown;
}

const SCALARS = ['S', 'N', 'B'];
/** The value types each operator takes; EQ, NE, NULL and NOT_NULL take any. */
const ALLOWED_TYPES: Partial<Record<ComparisonOperator, readonly string[]>> = {
  LE: SCALARS,
  LT: SCALARS,
  GE: SCALARS,
  GT: SCALARS,
  IN: SCALARS,
  BETWEEN: SCALARS,
  CONTAINS: SCALARS,
  NOT_CONTAINS: SCALARS,
  BEGINS_WITH: ['S', 'B'],
};

const argumentCountFits = (operator: ComparisonOperator, count: number): boolean => {
  switch (operator) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count >= 1;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
};

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

const conditionMap = (raw: unknown, member: string): Record<string, WireCondition> | undefined => {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw serializationException(`Unexpected value type in ${member}: expected a map of conditions`);
  }
  return raw as Record<string, WireCondition>;
};

/** The front-end constraints on a condition map: each ComparisonOperator present and one of the thirteen. */
const legacyConditionConstraints = (constraints: Constraints, member: string, raw: unknown): void => {
  const conditions = conditionMap(raw, member);
  if (conditions === undefined) return;
  for (const name of Object.keys(conditions)) {
    const operator = conditions[name]?.ComparisonOperator;
    const at = `${member}.${name}.member.comparisonOperator`;
    constraints.notNull(at, operator);
    if (operator !== undefined && operator !== null) constraints.oneOf(at, operator, COMPARISON_OPERATORS);
  }
};

/**
 * Checks a legacy condition map (after its constraints) as DynamoDB does, condition by condition: the values,
 * their number for the operator, one type for all of them, a type the operator takes, BETWEEN's bounds in
 * order. Returns the conditions in the map's order.
 */
const readLegacyConditions = (raw: unknown, member: string): LegacyCondition[] => {
  const conditions = conditionMap(raw, member) ?? {};
  return Object.keys(conditions).map((attribute) => {
    const condition = conditions[attribute] as WireCondition;
    const operator = condition.ComparisonOperator as ComparisonOperator;
    const list = condition.AttributeValueList ?? [];
    if (!Array.isArray(list)) throw serializationException('Expected list or null');
    const values = Object.values(
      validateItem(Object.fromEntries(list.map((value, i) => [String(i), value])), 'AttributeValueList'),
    );
    if (!argumentCountFits(operator, values.length)) {
      throw invalid(`Invalid number of argument(s) for the ${operator} ComparisonOperator`);
    }
    const [first, second] = values;
    if (first !== undefined && values.some((v) => attributeTypeOf(v) !== attributeTypeOf(first))) {
      throw invalid('AttributeValues inside AttributeValueList must be of same type');
    }
    const allowed = ALLOWED_TYPES[operator];
    const wrong =
      allowed === undefined ? undefined : values.find((v) => !allowed.includes(attributeTypeOf(v)));
    if (wrong !== undefined) {
      throw invalid(
        `ComparisonOperator ${operator} is not valid for ${attributeTypeOf(wrong)} AttributeValue type`,
      );
    }
    if (
      operator === 'BETWEEN' &&
      first !== undefined &&
      second !== undefined &&
      isOrderable(first, second) &&
      compareValues(first, second) > 0
    ) {
      throw validationException(
        'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
      );
    }
    return { attribute, operator, values };
  });
};

const COMPARATORS: Partial<Record<ComparisonOperator, Comparator>> = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
};

/**
 * One legacy condition as the expression engine's compiled condition on the top-level attribute. NOT_CONTAINS
 * does not hold for a missing attribute, unlike `NOT contains(...)` in an expression (DynamoDB Local leaves an
 * item without the attribute out of a ScanFilter or QueryFilter NOT_CONTAINS, and fails such an Expected).
 */
const toCondition = ({ attribute, operator, values }: LegacyCondition): Condition => {
  const path = { kind: 'path', path: [attribute] } as const;
  const value = (i: number) => ({ kind: 'value', value: values[i] as AttributeValue }) as const;
  const comparator = COMPARATORS[operator];
  if (comparator !== undefined)
    return { kind: 'comparison', operator: comparator, left: path, right: value(0) };
  switch (operator) {
    case 'NULL':
      return { kind: 'attribute_not_exists', path: [attribute] };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path: [attribute] };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', left: path, right: value(0) };
    case 'CONTAINS':
      return { kind: 'contains', left: path, right: value(0) };
    case 'NOT_CONTAINS':
      return {
        kind: 'and',
        left: { kind: 'attribute_exists', path: [attribute] },
        right: { kind: 'not', operand: { kind: 'contains', left: path, right: value(0) } },
      };
    case 'IN':
      return { kind: 'in', operand: path, candidates: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', operand: path, lower: value(0), upper: value(1) };
  }
};

/**
 * A QueryFilter or ScanFilter as one compiled condition: its conditions joined by ConditionalOperator (AND
 * unless OR), so the filter runs through the same evaluator as a FilterExpression. Undefined when empty.
 */
const legacyFilter = (
  conditions: readonly LegacyCondition[],
  conditionalOperator: unknown,
): Condition | undefined => {
  const kind = conditionalOperator === 'OR' ? 'or' : 'and';
  return conditions
    .map(toCondition)
    .reduce<Condition | undefined>(
      (joined, next) => (joined === undefined ? next : { kind, left: joined, right: next }),
      undefined,
    );
};

/** Attribute names of a legacy map, e.g. to refuse key attributes in a QueryFilter. */
const legacyAttributes = (conditions: readonly LegacyCondition[]): string[] =>
  conditions.map((c) => c.attribute);

export type { ComparisonOperator, LegacyCondition };
export {
  COMPARISON_OPERATORS,
  legacyAttributes,
  legacyConditionConstraints,
  legacyFilter,
  readLegacyConditions,
};
