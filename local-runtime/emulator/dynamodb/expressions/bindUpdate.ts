import { type AttributeType, attributeTypeOf } from '../../../../src/records/attributeValue.js';
import type { CallNode, OperandNode, SetValueNode, UpdateActionNode, UpdateNode } from './ast.js';
import type { Update, UpdateAction, UpdateClause, UpdateValue } from './compiled.js';
import { checkPathClashes } from './documentPath.js';
import { ExpressionError } from './expressionError.js';
import { functionArity } from './functions.js';
import { requireDistinct, requireTypes } from './operandTypes.js';
import type { Placeholders } from './Placeholders.js';

/** How the ADD/DELETE type message names types: Java enum names, not the wire's short names. */
const LONG_TYPE_NAMES: Readonly<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};

const ADD_TYPES: readonly AttributeType[] = ['N', 'SS', 'NS', 'BS'];
const DELETE_TYPES: readonly AttributeType[] = ['SS', 'NS', 'BS'];

/**
 * DynamoDB's checks on an update after `checkSyntaxRules`, in its order, and the compiled update:
 * 1. the `#names` of every action's path, then overlapping or conflicting paths;
 * 2. from the last action back to the first, every `#name`; then, again from the last, values, operand
 *    counts and operand types.
 */
const bindUpdate = (update: UpdateNode, placeholders: Placeholders): Update => {
  const actions = update.clauses.flatMap((clause) => clause.actions);
  checkPathClashes(actions.map((action) => placeholders.peekPath(action.path)));

  const backwards = [...actions].reverse();
  for (const action of backwards) {
    placeholders.peekPath(action.path);
    if (action.kind === 'SET') checkValueNames(action.value, placeholders);
  }
  const bound = new Map<UpdateActionNode, UpdateAction>();
  for (const action of backwards) bound.set(action, bindAction(action, placeholders));

  const clauses: UpdateClause[] = update.clauses.map((clause) => ({
    keyword: clause.keyword,
    actions: clause.actions.map((action) => bound.get(action) as UpdateAction),
  }));
  const topLevelAttributes = new Set(
    clauses.flatMap((clause) => clause.actions.map((action) => action.path[0] as string)),
  );
  return { clauses, topLevelAttributes };
};

const checkValueNames = (value: SetValueNode, placeholders: Placeholders): void => {
  switch (value.kind) {
    case 'path':
      placeholders.peekPath(value);
      return;
    case 'value':
      return;
    case 'operandGroup':
      checkValueNames(value.inner, placeholders);
      return;
    case 'arithmetic':
      checkValueNames(value.left, placeholders);
      checkValueNames(value.right, placeholders);
      return;
    default:
      for (const arg of value.args) checkValueNames(arg, placeholders);
  }
};

const bindAction = (action: UpdateActionNode, placeholders: Placeholders): UpdateAction => {
  const path = placeholders.path(action.path);
  switch (action.kind) {
    case 'REMOVE':
      return { kind: 'REMOVE', path };
    case 'SET':
      return { kind: 'SET', path, value: bindValue(action.value, placeholders) };
    default: {
      const value = placeholders.value(action.value.placeholder);
      const type = attributeTypeOf(value);
      if (!(action.kind === 'ADD' ? ADD_TYPES : DELETE_TYPES).includes(type)) {
        throw new ExpressionError(
          `Incorrect operand type for operator or function; operator: ${action.kind}, operand type: ${LONG_TYPE_NAMES[type]}, typeSet: ALLOWED_FOR_${action.kind}_OPERAND`,
        );
      }
      return { kind: action.kind, path, value };
    }
  }
};

const bindValue = (node: SetValueNode, placeholders: Placeholders): UpdateValue => {
  switch (node.kind) {
    case 'path':
      return { kind: 'path', path: placeholders.path(node) };
    case 'value':
      return { kind: 'value', value: placeholders.value(node.placeholder) };
    case 'operandGroup':
      return bindValue(node.inner, placeholders);
    case 'arithmetic': {
      const left = bindValue(node.left, placeholders);
      const right = bindValue(node.right, placeholders);
      requireTypes(node.operator, left, ['N']);
      requireTypes(node.operator, right, ['N']);
      return { kind: 'arithmetic', operator: node.operator, left, right };
    }
    default:
      return bindCall(node, placeholders);
  }
};

/**
 * An update function. Its operands are bound before they are counted: dynalite's recording of DynamoDB shows
 * `SET #a = if_not_exists(:c)` with `:c` undefined reported as the undefined value, not the operand count.
 */
const bindCall = (call: CallNode, placeholders: Placeholders): UpdateValue => {
  const args = call.args.map((arg: OperandNode) => bindValue(arg, placeholders));
  if (args.length !== functionArity(call.name)) {
    throw new ExpressionError(
      `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${args.length}`,
    );
  }
  const [left, right] = args as [UpdateValue, UpdateValue];
  if (call.name === 'if_not_exists') {
    if (left.kind !== 'path') {
      throw new ExpressionError(
        `Operator or function requires a document path; operator or function: ${call.name}`,
      );
    }
    if (right.kind === 'path') requireDistinct(call.name, left, [right]);
    return { kind: 'if_not_exists', path: left.path, fallback: right };
  }
  // list_append, the only other function checkSyntaxRules lets into an update.
  requireTypes(call.name, left, ['L']);
  requireTypes(call.name, right, ['L']);
  return { kind: 'list_append', left, right };
};

export { bindUpdate };
