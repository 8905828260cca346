import {
  type AttributeMap,
  type AttributeType,
  type AttributeValue,
  attributeTypeOf,
} from '../../../../src/records/attributeValue.js';
import { checkItemSize } from '../attributes/checkItemSize.js';
import { checkNesting } from '../attributes/checkNesting.js';
import { bindCondition } from '../expressions/bindCondition.js';
import { bindUpdate } from '../expressions/bindUpdate.js';
import { cloneValue } from '../expressions/cloneValue.js';
import type { Condition, Operand, Update, UpdateAction, UpdateClause } from '../expressions/compiled.js';
import { getOwn, setOwn } from '../expressions/documentPath.js';
import { Placeholders } from '../expressions/Placeholders.js';
import { parsedCondition, parsedUpdate } from '../expressions/parsedExpressions.js';
import { type KeySchema, keyOf, validateItemKey, validateKey } from '../keySchema.js';
import { updateOf } from '../operations/updateItem.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { Table } from '../Table.js';
import type { Returning } from './ast.js';
import type { WritePlan } from './planWrite.js';

/**
 * What a write statement's text and its table's key schema decide, worked out once (and used for any table
 * with an equal key schema: the key is all of the table a template depends on; its indexes are checked per run): the request it translates
 * into, its expressions compiled, and which parameter goes where (a key attribute, an item attribute, a SET
 * value, a condition operand). Running the statement again with other parameters then only checks what depends
 * on their values and builds the write, instead of translating, parsing and binding the same text again
 * (a projection sends the same few statement texts for every row: src/operators/viewStatement.ts).
 *
 * A template never decides an error: where a check that depends on the parameters could fail (a key value of
 * the wrong type or empty, an operand type, the item's size or nesting, an index key), `bind` or `prepare`
 * answers undefined, and the statement takes the full path (planWrite.ts, runWrite.ts), which gives DynamoDB's
 * error in DynamoDB's order. So a template's write, when there is one, is the full path's write, and the full
 * path alone words every failure.
 */
interface WriteTemplate {
  readonly kind: 'insert' | 'update' | 'delete';
  readonly returning?: Returning;
  /** The write these parameters make, or undefined when the full path must decide. */
  bind(table: Table, parameters: readonly AttributeValue[]): TemplateWrite | undefined;
}

interface TemplateWrite {
  /** The item's primary key, as the full path's plan has it. */
  readonly key: AttributeMap;
  /** The write as PutItem's, UpdateItem's or DeleteItem's preparation makes it, or undefined as for `bind`. */
  prepare(): PreparedWrite | undefined;
}

/** A value of the write: the statement's `slot`-th parameter, or a constant the statement's text spells. */
type Source = { readonly slot: number } | { readonly constant: AttributeValue };

type Make<T> = (parameters: readonly AttributeValue[]) => T;

const SCALAR_TYPES: ReadonlySet<AttributeType> = new Set(['S', 'N', 'B']);

/** A constant is copied for each write that stores it, as the full path's item checks copy every value. */
const sourceValue = (source: Source, parameters: readonly AttributeValue[]): AttributeValue =>
  'slot' in source ? (parameters[source.slot] as AttributeValue) : cloneValue(source.constant);

/**
 * Turns compiled expressions whose values are the placeholder objects of the template's first plan into
 * functions of the parameters. Only the nodes whose bind-time checks are known are taken: a comparison's
 * operand must be a scalar for `<`, `<=`, `>`, `>=` (recorded in `scalarSlots`, checked per run), while `=`,
 * `<>`, IN, `contains`, `attribute_exists` and `attribute_not_exists` check nothing of their values, nor does
 * a SET of a value or a path, nor a REMOVE. Anything else (BETWEEN, `begins_with`, `size`, `attribute_type`,
 * arithmetic, functions in SET, ADD, DELETE) makes no template.
 */
class Slots {
  readonly #slots: ReadonlyMap<AttributeValue, number>;
  readonly used = new Set<number>();
  readonly scalarSlots: number[] = [];

  constructor(placeholders: readonly AttributeValue[]) {
    this.#slots = new Map(placeholders.map((value, index) => [value, index]));
  }

  source(value: AttributeValue): Source {
    const slot = this.#slots.get(value);
    if (slot === undefined) return { constant: value };
    this.used.add(slot);
    return { slot };
  }

  operand(operand: Operand, scalar: boolean): Make<Operand> | undefined {
    if (operand.kind === 'path') return () => operand;
    if (operand.kind !== 'value') return undefined;
    const slot = this.#slots.get(operand.value);
    if (slot === undefined) return () => operand;
    this.used.add(slot);
    if (scalar) this.scalarSlots.push(slot);
    return (parameters) => ({ kind: 'value', value: parameters[slot] as AttributeValue });
  }

  condition(condition: Condition): Make<Condition> | undefined {
    switch (condition.kind) {
      case 'and':
      case 'or': {
        const { kind } = condition;
        const left = this.condition(condition.left);
        const right = this.condition(condition.right);
        if (left === undefined || right === undefined) return undefined;
        return (parameters) => ({ kind, left: left(parameters), right: right(parameters) });
      }
      case 'not': {
        const operand = this.condition(condition.operand);
        if (operand === undefined) return undefined;
        return (parameters) => ({ kind: 'not', operand: operand(parameters) });
      }
      case 'attribute_exists':
      case 'attribute_not_exists':
        return () => condition;
      case 'comparison': {
        const { operator } = condition;
        const scalar = operator !== '=' && operator !== '<>';
        const left = this.operand(condition.left, scalar);
        const right = this.operand(condition.right, scalar);
        if (left === undefined || right === undefined) return undefined;
        return (parameters) => ({
          kind: 'comparison',
          operator,
          left: left(parameters),
          right: right(parameters),
        });
      }
      case 'contains': {
        const left = this.operand(condition.left, false);
        const right = this.operand(condition.right, false);
        if (left === undefined || right === undefined) return undefined;
        return (parameters) => ({ kind: 'contains', left: left(parameters), right: right(parameters) });
      }
      case 'in': {
        const operand = this.operand(condition.operand, false);
        const candidates = condition.candidates.map((candidate) => this.operand(candidate, false));
        if (operand === undefined || candidates.some((candidate) => candidate === undefined))
          return undefined;
        const makers = candidates as Make<Operand>[];
        return (parameters) => ({
          kind: 'in',
          operand: operand(parameters),
          candidates: makers.map((make) => make(parameters)),
        });
      }
      default:
        return undefined;
    }
  }

  action(action: UpdateAction): Make<UpdateAction> | undefined {
    if (action.kind === 'REMOVE') return () => action;
    if (action.kind !== 'SET') return undefined;
    const { path, value } = action;
    if (value.kind === 'path') return () => action;
    if (value.kind !== 'value') return undefined;
    const slot = this.#slots.get(value.value);
    if (slot === undefined) return () => action;
    this.used.add(slot);
    return (parameters) => ({
      kind: 'SET',
      path,
      value: { kind: 'value', value: parameters[slot] as AttributeValue },
    });
  }

  update(update: Update): Make<Update> | undefined {
    const clauses: Make<UpdateClause>[] = [];
    for (const { keyword, actions } of update.clauses) {
      const makers = actions.map((action) => this.action(action));
      if (makers.some((make) => make === undefined)) return undefined;
      const actionMakers = makers as Make<UpdateAction>[];
      clauses.push((parameters) => ({ keyword, actions: actionMakers.map((make) => make(parameters)) }));
    }
    const { topLevelAttributes } = update;
    return (parameters) => ({ clauses: clauses.map((make) => make(parameters)), topLevelAttributes });
  }
}

/** Whether every slot that must hold a scalar does. */
const scalarsHold = (slots: readonly number[], parameters: readonly AttributeValue[]): boolean =>
  slots.every((slot) => SCALAR_TYPES.has(attributeTypeOf(parameters[slot] as AttributeValue)));

/** Runs checks that throw, answering undefined instead: the full path will throw the same, worded its way. */
const passes = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

interface KeyPart {
  readonly name: string;
  readonly type: AttributeType;
  readonly source: Source;
}

/** The key of an UPDATE or DELETE, checked as its WHERE clause's key values are; undefined where one fails. */
const keyFrom = (
  keySchema: KeySchema,
  parts: readonly KeyPart[],
  parameters: readonly AttributeValue[],
): AttributeMap | undefined => {
  const key: AttributeMap = {};
  for (const { name, type, source } of parts) {
    const value = sourceValue(source, parameters);
    if (attributeTypeOf(value) !== type) return undefined;
    setOwn(key, name, value);
  }
  let checked: AttributeMap | undefined;
  return passes(() => {
    checked = validateKey(keySchema, key);
  })
    ? checked
    : undefined;
};

const keyPartsOf = (keySchema: KeySchema, key: AttributeMap, slots: Slots): KeyPart[] =>
  [keySchema.hashKey, keySchema.rangeKey].flatMap((name) => {
    if (name === undefined) return [];
    const value = getOwn(key, name) as AttributeValue;
    return [{ name, type: keySchema.types[name] as AttributeType, source: slots.source(value) }];
  });

/** The request's expressions bound to its own placeholder maps, which hold the placeholder parameters. */
const placeholdersOf = (request: Record<string, unknown>): Placeholders =>
  new Placeholders(
    request.ExpressionAttributeNames as Record<string, string> | undefined,
    request.ExpressionAttributeValues as AttributeMap | undefined,
  );

const insertTemplate = (plan: WritePlan, keySchema: KeySchema, slots: Slots): WriteTemplate | undefined => {
  const { request } = plan;
  const item = request.Item as AttributeMap;
  const entries = Object.keys(item).map((name) => ({
    name,
    source: slots.source(getOwn(item, name) as AttributeValue),
  }));
  const condition = bindCondition(
    parsedCondition(request.ConditionExpression as string),
    placeholdersOf(request),
  );
  const keyTypes = [keySchema.hashKey, keySchema.rangeKey].flatMap((name) =>
    name === undefined ? [] : [{ name, type: keySchema.types[name] as AttributeType }],
  );
  return {
    kind: 'insert',
    bind(table, parameters) {
      const written: AttributeMap = {};
      for (const { name, source } of entries) setOwn(written, name, sourceValue(source, parameters));
      for (const { name, type } of keyTypes) {
        if (attributeTypeOf(getOwn(written, name) as AttributeValue) !== type) return undefined;
      }
      const key = keyOf(keySchema, written);
      return {
        key,
        prepare() {
          let nextSize = 0;
          const valid = passes(() => {
            checkNesting(written, true);
            validateItemKey(keySchema, written);
            nextSize = checkItemSize(written);
            table.checkIndexKeys(written);
          });
          if (!valid) return undefined;
          return { kind: 'put', table, key, condition, apply: () => written, nextSize };
        },
      };
    },
  };
};

/**
 * An UPDATE's or a DELETE's template: the key from the WHERE clause's key values, then `prepare` (given only
 * parameters whose scalar slots hold scalars) for the write.
 */
const keyedTemplate = (
  plan: WritePlan,
  keySchema: KeySchema,
  slots: Slots,
  prepare: (table: Table, key: AttributeMap, parameters: readonly AttributeValue[]) => PreparedWrite,
): WriteTemplate => {
  const { kind, request, returning } = plan;
  const keyParts = keyPartsOf(keySchema, request.Key as AttributeMap, slots);
  const { scalarSlots } = slots;
  return {
    kind: kind as 'update' | 'delete',
    ...(returning === undefined ? {} : { returning }),
    bind(table, parameters) {
      const key = keyFrom(keySchema, keyParts, parameters);
      if (key === undefined) return undefined;
      return {
        key,
        prepare: () => (scalarsHold(scalarSlots, parameters) ? prepare(table, key, parameters) : undefined),
      };
    },
  };
};

const updateTemplate = (plan: WritePlan, keySchema: KeySchema, slots: Slots): WriteTemplate | undefined => {
  const { request } = plan;
  const placeholders = placeholdersOf(request);
  // UpdateItem binds its update before its condition.
  const update = slots.update(bindUpdate(parsedUpdate(request.UpdateExpression as string), placeholders));
  const condition = slots.condition(
    bindCondition(parsedCondition(request.ConditionExpression as string), placeholders),
  );
  if (update === undefined || condition === undefined) return undefined;
  return keyedTemplate(plan, keySchema, slots, (table, key, parameters) =>
    updateOf(table, key, update(parameters), condition(parameters)),
  );
};

const deleteTemplate = (plan: WritePlan, keySchema: KeySchema, slots: Slots): WriteTemplate | undefined => {
  const { request } = plan;
  const text = request.ConditionExpression as string | undefined;
  const condition =
    text === undefined
      ? () => undefined
      : slots.condition(bindCondition(parsedCondition(text), placeholdersOf(request)));
  if (condition === undefined) return undefined;
  return keyedTemplate(plan, keySchema, slots, (table, key, parameters) => ({
    kind: 'delete',
    table,
    key,
    condition: condition(parameters),
    apply: () => undefined,
  }));
};

/**
 * The template of a write statement, from its plan against `table` made with `placeholders` as its
 * parameters: distinct objects, so that where each one went in the plan shows where that parameter goes. Call
 * it only for a statement whose full path has planned and prepared without error for parameters of the same
 * values (so that every check that does not depend on them has passed). Undefined when the statement is not
 * one a template takes, or when a parameter goes where it cannot be followed (inside a list, a map or a set).
 */
const writeTemplateOf = (
  plan: WritePlan,
  placeholders: readonly AttributeValue[],
): WriteTemplate | undefined => {
  const { keySchema } = plan.table.definition;
  const slots = new Slots(placeholders);
  const template =
    plan.kind === 'insert'
      ? insertTemplate(plan, keySchema, slots)
      : plan.kind === 'update'
        ? updateTemplate(plan, keySchema, slots)
        : plan.kind === 'delete'
          ? deleteTemplate(plan, keySchema, slots)
          : undefined;
  return slots.used.size === placeholders.length ? template : undefined;
};

export type { TemplateWrite, WriteTemplate };
export { writeTemplateOf };
