import { type AttributeValue, attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import type {
  Condition,
  DocumentPath,
  KeyCondition,
  KeyConditionTerm,
  KeyOperator,
  Operand,
} from './compiled.js';

/**
 * The key of the table or index a request reads, shaped like the emulator's own KeySchema so a table's schema
 * can be passed as it is. `types` (AttributeDefinitions) is optional; without it values are not type-checked.
 */
interface ExpressionKeySchema {
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly types?: Readonly<Record<string, 'S' | 'N' | 'B'>>;
}

const MIRRORED: Readonly<Record<string, KeyOperator>> = {
  '=': '=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

const missedKeyElement = () => validationException('Query condition missed key schema element');

/**
 * Reads a bound KeyConditionExpression as key conditions: conditions joined by AND, each `=`, `<`, `<=`, `>`,
 * `>=`, BETWEEN or begins_with between a key attribute and values. With the key schema it also checks the
 * conditions name the partition key with `=` and at most the sort key besides, with DynamoDB's messages;
 * without it the partition key is taken to be the attribute compared with `=` (the first, if both are).
 */
const bindKeyCondition = (condition: Condition, keySchema?: ExpressionKeySchema): KeyCondition => {
  const terms: KeyConditionTerm[] = [];
  collectTerms(condition, terms);

  const counts = new Map<string | number, number>();
  for (const term of terms) counts.set(term.path[0] as string, (counts.get(term.path[0] as string) ?? 0) + 1);
  if ([...counts.values()].some((count) => count > 1)) {
    throw validationException('KeyConditionExpressions must only contain one condition per key');
  }

  return keySchema === undefined ? withoutSchema(terms) : withSchema(terms, keySchema);
};

const collectTerms = (condition: Condition, terms: KeyConditionTerm[]): void => {
  switch (condition.kind) {
    case 'and':
      collectTerms(condition.left, terms);
      collectTerms(condition.right, terms);
      return;
    case 'or':
      throw validationException('Invalid operator used in KeyConditionExpression: OR');
    case 'not':
      throw validationException('Invalid operator used in KeyConditionExpression: NOT');
    case 'in':
      throw validationException('Invalid operator used in KeyConditionExpression: IN');
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'contains':
      throw validationException(`Invalid operator used in KeyConditionExpression: ${condition.kind}`);
    case 'comparison': {
      if (condition.operator === '<>')
        throw validationException('Invalid operator used in KeyConditionExpression: <>');
      requireFlat([condition.left, condition.right]);
      if (condition.left.kind === 'path') {
        terms.push(term(condition.left.path, condition.operator, [condition.right]));
      } else {
        terms.push(
          term(pathOf(condition.right), MIRRORED[condition.operator] as KeyOperator, [condition.left]),
        );
      }
      return;
    }
    case 'between':
      requireFlat([condition.operand, condition.lower, condition.upper]);
      terms.push(term(pathOf(condition.operand), 'BETWEEN', [condition.lower, condition.upper]));
      return;
    default:
      requireFlat([condition.left, condition.right]);
      terms.push(term(pathOf(condition.left), 'begins_with', [condition.right]));
  }
};

const requireFlat = (operands: readonly Operand[]): void => {
  if (operands.some((operand) => operand.kind === 'size')) {
    throw validationException('KeyConditionExpressions cannot contain nested operations');
  }
};

const pathOf = (operand: Operand): DocumentPath => {
  if (operand.kind !== 'path') throw missedKeyElement();
  return operand.path;
};

/**
 * A key condition compares an attribute with values. Paths on both sides (`a = b`) do not fit; DynamoDB's
 * exact answer to that is not recorded, so it is reported as a condition that does not name the key.
 */
const term = (path: DocumentPath, operator: KeyOperator, operands: readonly Operand[]): KeyConditionTerm => ({
  path,
  operator,
  values: operands.map((operand) => {
    if (operand.kind !== 'value') throw missedKeyElement();
    return operand.value;
  }),
});

const keyName = (term: KeyConditionTerm): string => term.path[0] as string;

const toKeyCondition = (partition: KeyConditionTerm, sort: KeyConditionTerm | undefined): KeyCondition => ({
  partitionKey: { name: keyName(partition), value: partition.values[0] as AttributeValue },
  ...(sort === undefined
    ? {}
    : { sortKey: { name: keyName(sort), operator: sort.operator, values: [...sort.values] } }),
});

const withoutSchema = (terms: readonly KeyConditionTerm[]): KeyCondition => {
  if (terms.length > 2 || terms.some((t) => t.path.length > 1)) throw missedKeyElement();
  const partition = terms.find((t) => t.operator === '=');
  if (partition === undefined) throw missedKeyElement();
  return toKeyCondition(
    partition,
    terms.find((t) => t !== partition),
  );
};

const withSchema = (terms: readonly KeyConditionTerm[], schema: ExpressionKeySchema): KeyCondition => {
  const isKey = (name: string) => name === schema.hashKey || name === schema.rangeKey;
  for (const t of terms) {
    if (t.path.length > 1 && isKey(keyName(t))) {
      throw validationException(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${keyName(t)}`,
      );
    }
  }
  const partition = terms.find((t) => t.path.length === 1 && keyName(t) === schema.hashKey);
  const sort =
    schema.rangeKey === undefined
      ? undefined
      : terms.find((t) => t.path.length === 1 && keyName(t) === schema.rangeKey);
  if (partition === undefined || terms.some((t) => t !== partition && t !== sort)) throw missedKeyElement();
  if (partition.operator !== '=') throw validationException('Query key condition not supported');
  for (const t of sort === undefined ? [partition] : [partition, sort]) {
    const declared =
      schema.types !== undefined && Object.hasOwn(schema.types, keyName(t))
        ? schema.types[keyName(t)]
        : undefined;
    for (const value of t.values) {
      if (declared !== undefined && attributeTypeOf(value) !== declared) {
        throw validationException(
          'One or more parameter values were invalid: Condition parameter type does not match schema type',
        );
      }
      if ('S' in value && value.S === '') {
        throw validationException(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${keyName(t)}`,
        );
      }
    }
  }
  return toKeyCondition(partition, sort);
};

export type { ExpressionKeySchema };
export { bindKeyCondition };
