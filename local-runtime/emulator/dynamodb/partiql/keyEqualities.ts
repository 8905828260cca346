import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { attributeTypeOf } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { setOwn } from '../expressions/documentPath.js';
import { type KeySchema, validateKey } from '../keySchema.js';
import type { Expr } from './ast.js';
import { attributeValueOf, isValue, type ValueContext } from './attributeValueOf.js';
import { keyTypeMismatch, missingKeyEquality } from './statementErrors.js';

/** The top-level AND-ed parts of a WHERE clause, in written order. */
const conjuncts = (where: Expr | undefined): Expr[] => {
  if (where === undefined) return [];
  if (where.kind === 'and') return [...conjuncts(where.left), ...conjuncts(where.right)];
  return [where];
};

/** `name = value` or `value = name` on a top-level attribute among `names`: the name and the value expression. */
const keyEquality = (expr: Expr, names: readonly string[]): { name: string; value: Expr } | undefined => {
  if (expr.kind !== 'comparison' || expr.operator !== '=') return undefined;
  for (const [path, value] of [
    [expr.left, expr.right],
    [expr.right, expr.left],
  ] as const) {
    if (path.kind === 'path' && path.steps.length === 0 && names.includes(path.root) && isValue(value)) {
      return { name: path.root, value };
    }
  }
  return undefined;
};

interface KeyEqualities {
  /** Per key attribute, the values it is set equal to (none, one, or, wrongly, several). */
  readonly equalities: ReadonlyMap<string, readonly Expr[]>;
  /** Every other conjunct: what the item must satisfy beyond its key. */
  readonly rest: readonly Expr[];
}

/** Splits a WHERE clause into equalities on the key attributes `names` and the other conjuncts. */
const findKeyEqualities = (where: Expr | undefined, names: readonly string[]): KeyEqualities => {
  const equalities = new Map<string, Expr[]>(names.map((name) => [name, []]));
  const rest: Expr[] = [];
  for (const conjunct of conjuncts(where)) {
    const equality = keyEquality(conjunct, names);
    if (equality === undefined) rest.push(conjunct);
    else equalities.get(equality.name)?.push(equality.value);
  }
  return { equalities, rest };
};

/** A key value as a statement gives it, checked against the declared type of key attribute `name`. */
const keyValue = (schema: KeySchema, name: string, expr: Expr, context: ValueContext): AttributeValue => {
  const value = attributeValueOf(expr, context);
  if (attributeTypeOf(value) !== schema.types[name]) throw keyTypeMismatch(name);
  return value;
};

/**
 * The item a write statement (UPDATE, DELETE) names: its WHERE clause must set every key attribute equal to
 * a value, once, AND-ed with whatever else it says (the write's condition). DynamoDB's messages for a missing
 * or repeated key equality and for a key value of the wrong type; an empty key string or binary is refused
 * as UpdateItem refuses it.
 */
const writeKey = (
  where: Expr | undefined,
  schema: KeySchema,
  context: ValueContext,
): { key: AttributeMap; rest: readonly Expr[] } => {
  const names = schema.rangeKey === undefined ? [schema.hashKey] : [schema.hashKey, schema.rangeKey];
  const { equalities, rest } = findKeyEqualities(where, names);
  const key: AttributeMap = {};
  for (const name of names) {
    const values = equalities.get(name) ?? [];
    if (values.length > 1) {
      throw validationException(
        `Multiple conditions on same key ${name}. Only single item Update/Insert/Delete are supported`,
      );
    }
  }
  for (const name of names) {
    const [value] = equalities.get(name) ?? [];
    if (value === undefined) throw missingKeyEquality();
    setOwn(key, name, keyValue(schema, name, value, context));
  }
  return { key: validateKey(schema, key), rest };
};

export type { KeyEqualities };
export { conjuncts, findKeyEqualities, keyValue, writeKey };
