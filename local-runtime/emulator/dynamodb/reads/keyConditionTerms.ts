import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { AwsServiceError, validationException } from '../../errors.js';
import {
  type CompiledExpressions,
  type Condition,
  compileExpressions,
  type ExpressionRequest,
  type KeyCondition,
  type KeyOperator,
  type Operand,
} from '../expressions/index.js';
import type { LegacyCondition } from './legacyConditions.js';

/**
 * One condition of a Query's key condition, before the key schema is known: the attribute it names, how it
 * compares (`unindexable` for the legacy operators no key condition may use) and the values it compares with.
 */
interface KeyTerm {
  readonly name: string;
  readonly operator: KeyOperator | 'unindexable';
  readonly values: readonly AttributeValue[];
  /** The condition looks inside the attribute (`a.b`, `a[0]`): no key condition, refused once keys are known. */
  readonly nested?: boolean;
}

/** The expression engine's answer to a key condition whose shape it cannot read without the key schema. */
const MISSED_KEY_ELEMENT = 'Query condition missed key schema element';

/**
 * A key condition of more than two conditions is refused only once the table is known: an index with a
 * multi-attribute key takes up to eight (DynamoDB Local 3.3 answers a missing table or index first).
 * `resolveKeyCondition` throws this for single-attribute keys.
 */
const conditionsLength = () => validationException('Conditions can be of length 1 or 2 only');

const LEGACY_OPERATORS: Readonly<Record<string, KeyOperator>> = {
  EQ: '=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  BETWEEN: 'BETWEEN',
  BEGINS_WITH: 'begins_with',
};

/** KeyConditions as key terms; DynamoDB wants at least one before it looks at the table. */
const legacyKeyTerms = (conditions: readonly LegacyCondition[]): KeyTerm[] => {
  if (conditions.length === 0) throw conditionsLength();
  return conditions.map(({ attribute, operator, values }) => ({
    name: attribute,
    operator: Object.hasOwn(LEGACY_OPERATORS, operator)
      ? (LEGACY_OPERATORS[operator] as KeyOperator)
      : 'unindexable',
    values,
  }));
};

/** The expressions of a Query or Scan, compiled before the table is looked at, and the key terms of a Query. */
interface ReadExpressions {
  readonly filter?: Condition;
  readonly projection?: CompiledExpressions['projection'];
  readonly keyTerms?: KeyTerm[];
}

/**
 * Compiles a read's expressions with the engine, all the checks that need no table included. Without the key
 * schema the engine can read a key condition only when it is one `=` and at most one more flat condition;
 * for any other shape the key condition is compiled as a plain condition (the same placeholders, so the same
 * unused-placeholder checks) and read here, with the messages DynamoDB gives before it looks at the table.
 */
const compileReadExpressions = (request: ExpressionRequest): ReadExpressions => {
  try {
    const { filter, projection, keyCondition } = compileExpressions(request);
    return {
      ...(filter === undefined ? {} : { filter }),
      ...(projection === undefined ? {} : { projection }),
      ...(keyCondition === undefined ? {} : { keyTerms: keyConditionTerms(keyCondition) }),
    };
  } catch (error) {
    const deferred =
      request.KeyConditionExpression !== undefined &&
      error instanceof AwsServiceError &&
      error.name === 'ValidationException' &&
      error.message === MISSED_KEY_ELEMENT;
    if (!deferred) throw error;
  }
  const { condition, filter, projection } = compileExpressions({
    ConditionExpression: request.KeyConditionExpression as string,
    ...(request.FilterExpression === undefined ? {} : { FilterExpression: request.FilterExpression }),
    ...(request.ProjectionExpression === undefined
      ? {}
      : { ProjectionExpression: request.ProjectionExpression }),
    ...(request.ExpressionAttributeNames === undefined
      ? {}
      : { ExpressionAttributeNames: request.ExpressionAttributeNames }),
    ...(request.ExpressionAttributeValues === undefined
      ? {}
      : { ExpressionAttributeValues: request.ExpressionAttributeValues }),
  });
  return {
    ...(filter === undefined ? {} : { filter }),
    ...(projection === undefined ? {} : { projection }),
    keyTerms: conditionTerms(condition as Condition),
  };
};

const keyConditionTerms = (keyCondition: KeyCondition): KeyTerm[] => [
  { name: keyCondition.partitionKey.name, operator: '=', values: [keyCondition.partitionKey.value] },
  ...(keyCondition.sortKey === undefined
    ? []
    : [
        {
          name: keyCondition.sortKey.name,
          operator: keyCondition.sortKey.operator,
          values: keyCondition.sortKey.values,
        },
      ]),
];

const MIRRORED: Readonly<Record<string, KeyOperator>> = {
  '=': '=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

const invalidCondition = (detail: string) =>
  validationException(`Invalid condition in KeyConditionExpression: ${detail}`);

/**
 * Reads a key condition the engine could not (see above), leaf by leaf in written order, with the messages
 * dynalite recorded from DynamoDB: the key attribute first in BETWEEN and begins_with, one attribute per
 * condition, an attribute in every condition, one condition per key (how many conditions in all is for the
 * key schema to say).
 */
const conditionTerms = (condition: Condition): KeyTerm[] => {
  const leaves: Condition[] = [];
  const collect = (node: Condition): void => {
    if (node.kind === 'and') {
      collect(node.left);
      collect(node.right);
    } else {
      leaves.push(node);
    }
  };
  collect(condition);
  const terms: KeyTerm[] = [];
  for (const leaf of leaves) {
    const term = leafTerm(leaf);
    if (terms.some((t) => t.name === term.name)) {
      throw validationException('KeyConditionExpressions must only contain one condition per key');
    }
    terms.push(term);
  }
  return terms;
};

const leafTerm = (leaf: Condition): KeyTerm => {
  let operands: readonly Operand[];
  let operator: KeyOperator;
  switch (leaf.kind) {
    case 'between':
      if (leaf.operand.kind !== 'path')
        throw invalidCondition('BETWEEN operator must have the key attribute as its first operand');
      operands = [leaf.operand, leaf.lower, leaf.upper];
      operator = 'BETWEEN';
      break;
    case 'begins_with':
      if (leaf.left.kind !== 'path')
        throw invalidCondition('begins_with operator must have the key attribute as its first operand');
      operands = [leaf.left, leaf.right];
      operator = 'begins_with';
      break;
    case 'comparison':
      operands = [leaf.left, leaf.right];
      operator =
        leaf.left.kind === 'path' ? (leaf.operator as KeyOperator) : (MIRRORED[leaf.operator] as KeyOperator);
      break;
    default:
      // The engine refuses every other operator in a key condition before it gets here.
      throw validationException(`Invalid operator used in KeyConditionExpression: ${leaf.kind}`);
  }
  const paths = operands.filter((operand) => operand.kind === 'path');
  if (paths.length > 1) throw invalidCondition('Multiple attribute names used in one condition');
  const [path] = paths;
  if (path === undefined) throw invalidCondition('No key attribute specified');
  return {
    name: path.path[0] as string,
    operator,
    values: operands.flatMap((operand) => (operand.kind === 'value' ? [operand.value] : [])),
    // Nested paths are judged with the key schema (a key attribute's is refused as not scalar).
    ...(path.path.length > 1 ? { nested: true } : {}),
  };
};

export type { KeyTerm, ReadExpressions };
export { compileReadExpressions, conditionsLength, legacyKeyTerms };
