import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { validateItem } from '../attributes/validateItem.js';
import type { Condition } from '../expressions/index.js';
import { type ComparisonOperator, legacyFilter, readLegacyConditions } from '../reads/legacyConditions.js';

interface ExpectedEntry {
  readonly Value?: unknown;
  readonly Exists?: unknown;
  readonly ComparisonOperator?: unknown;
  readonly AttributeValueList?: unknown;
}

const invalid = (message: string) =>
  validationException(`One or more parameter values were invalid: ${message}`);

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * A ComparisonOperator condition: Expected's own rules (not with Exists; a value unless NULL or NOT_NULL, which
 * may be a single Value), then the rules and the translation Expected shares with QueryFilter and ScanFilter.
 */
const operatorCondition = (name: string, entry: ExpectedEntry): Condition => {
  const operator = entry.ComparisonOperator as ComparisonOperator;
  if (present(entry.Exists)) {
    throw invalid(`Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
  }
  const list = present(entry.AttributeValueList)
    ? entry.AttributeValueList
    : present(entry.Value)
      ? [entry.Value]
      : undefined;
  if (list === undefined && operator !== 'NULL' && operator !== 'NOT_NULL') {
    throw invalid(
      `Value or AttributeValueList must be used with ComparisonOperator: ${operator} for Attribute: ${name}`,
    );
  }
  const conditions = readLegacyConditions(
    { [name]: { ComparisonOperator: operator, AttributeValueList: list } },
    'expected',
  );
  return legacyFilter(conditions, 'AND') as Condition;
};

/** A Value / Exists condition: the attribute equals Value, or (Exists false) is absent. */
const existsCondition = (name: string, entry: ExpectedEntry): Condition => {
  const exists = entry.Exists ?? true;
  if (exists !== false && !present(entry.Value)) {
    throw invalid(
      `Value must be provided when Exists is ${present(entry.Exists) ? String(entry.Exists) : 'null'} for Attribute: ${name}`,
    );
  }
  if (exists === false) {
    if (present(entry.Value))
      throw invalid(`Value cannot be used when Exists is false for Attribute: ${name}`);
    return { kind: 'attribute_not_exists', path: [name] };
  }
  const value = Object.values(validateItem({ [name]: entry.Value }, 'Value'))[0] as AttributeValue;
  return {
    kind: 'comparison',
    operator: '=',
    left: { kind: 'path', path: [name] },
    right: { kind: 'value', value },
  };
};

/**
 * The legacy `Expected` parameter (with `ConditionalOperator`) of PutItem, UpdateItem and DeleteItem, checked
 * with DynamoDB's messages and translated into the expression engine's compiled condition, so it is evaluated
 * exactly as a ConditionExpression is. Undefined when there are no conditions. The ComparisonOperator enum is
 * checked earlier, with the request's other constraints.
 */
const expectedCondition = (expected: unknown, conditionalOperator: unknown): Condition | undefined => {
  if (!present(expected)) return undefined;
  let combined: Condition | undefined;
  for (const [name, raw] of Object.entries(expected as Record<string, ExpectedEntry | null>)) {
    const entry: ExpectedEntry = raw ?? {};
    if (present(entry.AttributeValueList) && present(entry.Value)) {
      throw invalid(`Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    let condition: Condition;
    if (present(entry.ComparisonOperator)) condition = operatorCondition(name, entry);
    else if (present(entry.AttributeValueList)) {
      throw invalid(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    } else condition = existsCondition(name, entry);
    combined =
      combined === undefined
        ? condition
        : { kind: conditionalOperator === 'OR' ? 'or' : 'and', left: combined, right: condition };
  }
  return combined;
};

export { expectedCondition };
