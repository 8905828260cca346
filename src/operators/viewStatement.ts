import type { AttributeValue, BatchStatementRequest, Put } from '@aws-sdk/client-dynamodb';
import { VIEW_SHAPE_ATTRIBUTE } from './viewShape.js';

/** DynamoDB's limit on a PartiQL statement's text (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchStatementRequest.html). */
const MAX_STATEMENT_LENGTH = 8_192;

/** Names that need no escaping inside a quoted identifier or a string literal: no quotes, no backslash. */
const PLAIN_NAME = /^[^"'\\]{1,255}$/;
/** A name with a control character goes to PutItem too: PartiQL's lexer need not take it. */
const hasControlCharacter = (name: string): boolean => {
  for (let index = 0; index < name.length; index += 1) if (name.charCodeAt(index) < 0x20) return true;
  return false;
};

/** Statement texts by kind, table and attribute names: the same few texts serve every row of a view. */
const texts = new Map<string, string | undefined>();
const MAX_TEXTS = 1_000;

/** The sequence condition's attribute, passed in so that this module stays apart from `project`'s. */
interface RowWrite {
  readonly put: Put;
  readonly keyNames: readonly string[];
  /** The attribute that holds the row's source sequence number. */
  readonly sequenceAttribute: string;
}

/**
 * The PartiQL statement that writes a view row at the cost of its conditional PutItem (1 write capacity unit
 * per KB; https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.batching.html),
 * or undefined when only PutItem can (a name that would need escaping, a statement over DynamoDB's length).
 *
 * - `insert`: `INSERT INTO "view" VALUE {...}`: writes the row if the view has none, and fails with
 *   `DuplicateItem` otherwise (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html).
 * - `update`: `UPDATE "view" SET ... WHERE <key> AND "seq" < ? AND "shape" = ?`: replaces a row that reflects
 *   an older record and has the same attribute names (so nothing stale survives), and fails with
 *   `ConditionalCheckFailed`, the row returned, otherwise, a missing row included
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.update.html).
 *
 * Either failure leaves the row to the conditional PutItem, which decides as `writes: 'each'` does.
 * @internal
 */
const viewStatementOf = (
  kind: 'insert' | 'update',
  { put, keyNames, sequenceAttribute }: RowWrite,
): BatchStatementRequest | undefined => {
  const item = put.Item;
  const sequence = put.ExpressionAttributeValues?.[':seq'];
  if (item === undefined || sequence === undefined || put.TableName === undefined) return undefined;
  const shape = item[VIEW_SHAPE_ATTRIBUTE];
  if (shape === undefined) return undefined;
  const names = Object.keys(item);
  const text = statementText({ kind, table: put.TableName, names, keyNames, sequenceAttribute });
  if (text === undefined) return undefined;
  if (kind === 'insert') {
    return { Statement: text, Parameters: names.map((name) => item[name] as AttributeValue) };
  }
  const keys = new Set(keyNames);
  const setValues = names.filter((name) => !keys.has(name) && name !== VIEW_SHAPE_ATTRIBUTE);
  const keyValues = keyNames.map((name) => item[name]);
  if (keyValues.some((value) => value === undefined)) return undefined;
  return {
    Statement: text,
    Parameters: [
      ...setValues.map((name) => item[name] as AttributeValue),
      ...(keyValues as AttributeValue[]),
      sequence,
      shape,
    ],
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
};

/** What a statement's text depends on. */
interface TextSpec {
  readonly kind: 'insert' | 'update';
  readonly table: string;
  readonly names: readonly string[];
  readonly keyNames: readonly string[];
  readonly sequenceAttribute: string;
}

/** The statement's text, built once per kind, table and names; undefined when PartiQL cannot say it. */
const statementText = (spec: TextSpec): string | undefined => {
  const { kind, table, names, keyNames } = spec;
  const cacheKey = `${kind}\u0000${table}\u0000${keyNames.join('\u0001')}\u0000${names.join('\u0001')}`;
  if (texts.has(cacheKey)) return texts.get(cacheKey);
  const text = buildText(spec);
  if (texts.size >= MAX_TEXTS) texts.clear();
  texts.set(cacheKey, text);
  return text;
};

const buildText = ({ kind, table, names, keyNames, sequenceAttribute }: TextSpec): string | undefined => {
  if (![table, ...names, ...keyNames].every((name) => PLAIN_NAME.test(name) && !hasControlCharacter(name))) {
    return undefined;
  }
  let text: string;
  if (kind === 'insert') {
    text = `INSERT INTO "${table}" VALUE {${names.map((name) => `'${name}': ?`).join(', ')}}`;
  } else {
    const keys = new Set(keyNames);
    const set = names.filter((name) => !keys.has(name) && name !== VIEW_SHAPE_ATTRIBUTE);
    if (set.length === 0 || keyNames.length === 0) return undefined;
    const where = [
      ...keyNames.map((name) => `"${name}" = ?`),
      `"${sequenceAttribute}" < ?`,
      `"${VIEW_SHAPE_ATTRIBUTE}" = ?`,
    ];
    text = `UPDATE "${table}" SET ${set.map((name) => `"${name}" = ?`).join(', ')} WHERE ${where.join(' AND ')}`;
  }
  return text.length <= MAX_STATEMENT_LENGTH ? text : undefined;
};

export type { RowWrite };
export { viewStatementOf };
