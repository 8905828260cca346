import { validationException } from '../../errors.js';
import type { Expr, PathExpr, UpdateAction } from './ast.js';
import { attributeValueOf, isValue, type ValueContext } from './attributeValueOf.js';
import type { ExpressionBuilder } from './ExpressionBuilder.js';
import { atSpan } from './statementErrors.js';
import { CONDITION_FUNCTIONS, UPDATE_FUNCTIONS, unrecognizedFunction } from './translateCondition.js';

type Clause = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

const samePath = (a: PathExpr, b: PathExpr): boolean =>
  a.root === b.root &&
  a.steps.length === b.steps.length &&
  a.steps.every((step, i) => {
    const other = b.steps[i];
    return step.kind === 'name'
      ? other?.kind === 'name' && other.name === step.name
      : other?.kind === 'index' && other.index === step.index;
  });

const isSet = (value: object): boolean => 'SS' in value || 'NS' in value || 'BS' in value;

/**
 * Translates an UPDATE's SET and REMOVE actions into an UpdateExpression, so that the expression engine checks
 * and applies them exactly as it does UpdateItem's (overlapping paths, operand types, list indexes, the item
 * as it was before the update for every action).
 *
 * `SET a = set_add(a, <<…>>)` and `SET a = set_delete(a, <<…>>)` are PartiQL's spelling of the expression
 * language's `ADD a :set` and `DELETE a :set`; `list_append`, `if_not_exists`, `+` and `-` are the same in
 * both. Each kind of action goes to one clause, in the order the kinds first appear.
 */
const translateUpdate = (
  actions: readonly UpdateAction[],
  builder: ExpressionBuilder,
  context: ValueContext,
): string => {
  const clauses = new Map<Clause, string[]>();
  const add = (clause: Clause, text: string) => {
    const list = clauses.get(clause) ?? [];
    list.push(text);
    clauses.set(clause, list);
  };
  const operand = (node: Expr): string => {
    if (isValue(node)) return builder.value(attributeValueOf(node, context));
    switch (node.kind) {
      case 'path':
        return builder.path(node);
      case 'call':
        if (node.name === 'set_add' || node.name === 'set_delete') {
          throw validationException(
            `The first argument to ${node.name.toUpperCase()} must equal the assignment value`,
          );
        }
        // Functions of the expression language that an update may not use (size, begins_with …) are passed on,
        // for the engine to refuse with DynamoDB's message.
        if (!UPDATE_FUNCTIONS.has(node.name) && !CONDITION_FUNCTIONS.has(node.name)) {
          throw unrecognizedFunction(node.name);
        }
        return `${node.name}(${node.args.map(operand).join(', ')})`;
      case 'arithmetic':
        if (node.operator === '||') return builder.value(attributeValueOf(node, context));
        throw validationException(
          'Only one arithmetic operator (+ or -) may be used in an UPDATE SET value of this emulator',
        );
      default:
        throw validationException(`Unsupported operation in SET value: ${node.kind.toUpperCase()}`);
    }
  };
  for (const action of actions) {
    if (action.kind === 'remove') {
      add('REMOVE', builder.path(action.path));
      continue;
    }
    const { path, value } = action;
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const name = value.name.toUpperCase();
      const [target, members] = value.args;
      if (target === undefined || target.kind !== 'path' || !samePath(target, path)) {
        throw validationException(`The first argument to ${name} must equal the assignment value`);
      }
      const set = members === undefined || !isValue(members) ? undefined : attributeValueOf(members, context);
      if (set === undefined || !isSet(set) || value.args.length !== 2) {
        throw atSpan(`The second argument to ${name} must be a value with type SET`, context.text, target);
      }
      add(value.name === 'set_add' ? 'ADD' : 'DELETE', `${builder.path(path)} ${builder.value(set)}`);
      continue;
    }
    const target = builder.path(path);
    const text =
      value.kind === 'arithmetic' && value.operator !== '||'
        ? `${operand(value.left)} ${value.operator} ${operand(value.right)}`
        : operand(value);
    add('SET', `${target} = ${text}`);
  }
  return [...clauses].map(([clause, list]) => `${clause} ${list.join(', ')}`).join(' ');
};

export { translateUpdate };
