import { validationException } from '../../errors.js';
import type { Expr } from './ast.js';
import { attributeValueOf, isValue, type ValueContext } from './attributeValueOf.js';
import type { ExpressionBuilder } from './ExpressionBuilder.js';

/**
 * The functions a PartiQL condition may call, all of which the expression language has under the same names.
 * PartiQL's names are case-insensitive; the parser lower-cases them.
 */
const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);

/** The functions an UPDATE's SET may call; the first two are the expression language's own. */
const UPDATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'list_append',
  'if_not_exists',
  'set_add',
  'set_delete',
]);

const unrecognizedFunction = (name: string) => validationException(`Unrecognized function: ${name}`);

/** Whether an expression is a condition (something true or false), not an operand. */
const isCondition = (expr: Expr): boolean =>
  expr.kind === 'comparison' ||
  expr.kind === 'and' ||
  expr.kind === 'or' ||
  expr.kind === 'not' ||
  expr.kind === 'between' ||
  expr.kind === 'in' ||
  expr.kind === 'is' ||
  expr.kind === 'call';

/**
 * Translates a WHERE condition into DynamoDB's condition expression language, which has the same comparisons,
 * BETWEEN, IN and functions, so that the expression engine checks it (operand types, function arities, with
 * DynamoDB's messages) and evaluates it exactly as it evaluates a ConditionExpression or FilterExpression.
 *
 * What PartiQL adds is rewritten: `IS [NOT] MISSING` as `attribute_not_exists` / `attribute_exists`, `IS [NOT]
 * NULL` as `attribute_type(…, NULL)`, `!=` as `<>`, `NOT BETWEEN` and `NOT IN` as `NOT (…)`. Compound parts are
 * parenthesised once, never twice (the engine refuses redundant parentheses).
 */
const translateCondition = (expr: Expr, builder: ExpressionBuilder, context: ValueContext): string => {
  const condition = (node: Expr): string => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        if (!isCondition(node.left) || !isCondition(node.right)) {
          throw validationException('The arguments to AND/OR must be Expressions');
        }
        return `${group(node.left)} ${node.kind.toUpperCase()} ${group(node.right)}`;
      }
      case 'not':
        if (!isCondition(node.operand)) {
          throw validationException('The argument to NOT must be a Type or Expression');
        }
        return `NOT ${group(node.operand)}`;
      case 'comparison':
        return `${operand(node.left)} ${node.operator} ${operand(node.right)}`;
      case 'between': {
        const text = `${operand(node.operand)} BETWEEN ${operand(node.lower)} AND ${operand(node.upper)}`;
        return node.negated ? `NOT (${text})` : text;
      }
      case 'in': {
        if (node.operand.kind !== 'path' || node.candidates.length === 0) {
          throw validationException(
            'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
          );
        }
        const text = `${operand(node.operand)} IN (${node.candidates.map(operand).join(', ')})`;
        return node.negated ? `NOT (${text})` : text;
      }
      case 'is': {
        if (node.operand.kind !== 'path')
          throw validationException(`${node.test} must be compared using IS operator`);
        const path = builder.path(node.operand);
        if (node.test === 'MISSING')
          return `${node.negated ? 'attribute_exists' : 'attribute_not_exists'}(${path})`;
        const isNull = `attribute_type(${path}, ${builder.value({ S: 'NULL' })})`;
        return node.negated ? `NOT ${isNull}` : isNull;
      }
      case 'call':
        return call(node.name, node.args);
      default:
        throw validationException('WHERE clause must contain an expression that resolves to a boolean');
    }
  };
  const group = (node: Expr): string => {
    const text = condition(node);
    return node.kind === 'and' || node.kind === 'or' || node.kind === 'not' ? `(${text})` : text;
  };
  const call = (name: string, args: readonly Expr[]): string => {
    if (!CONDITION_FUNCTIONS.has(name)) throw unrecognizedFunction(name);
    return `${name}(${args.map(operand).join(', ')})`;
  };
  const operand = (node: Expr): string => {
    if (isValue(node)) {
      if (node.kind === 'literal' && node.literal.type === 'missing') {
        throw validationException('MISSING must be compared using IS operator');
      }
      return builder.value(attributeValueOf(node, context));
    }
    switch (node.kind) {
      case 'path':
        return builder.path(node);
      case 'call':
        return call(node.name, node.args);
      case 'arithmetic':
        throw validationException(`Unsupported operator in Condition Expression. Operator: ${node.operator}`);
      default:
        throw validationException('WHERE clause must contain an expression that resolves to a boolean');
    }
  };
  if (!isCondition(expr)) {
    throw validationException('WHERE clause must contain an expression that resolves to a boolean');
  }
  return condition(expr);
};

/**
 * Conditions that must all hold, as one condition: `first` (already in the expression language, such as the
 * `attribute_exists` an UPDATE adds) and then each of `conjuncts`. Undefined when there is nothing to check.
 */
const translateConjunction = (
  conjuncts: readonly Expr[],
  builder: ExpressionBuilder,
  context: ValueContext,
  first?: string,
): string | undefined => {
  const parts = [
    ...(first === undefined ? [] : [{ text: first, compound: false }]),
    ...conjuncts.map((expr) => ({
      text: translateCondition(expr, builder, context),
      compound: expr.kind === 'or' || expr.kind === 'not' || expr.kind === 'and',
    })),
  ];
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return (parts[0] as { text: string }).text;
  return parts.map(({ text, compound }) => (compound ? `(${text})` : text)).join(' AND ');
};

export {
  CONDITION_FUNCTIONS,
  isCondition,
  translateCondition,
  translateConjunction,
  UPDATE_FUNCTIONS,
  unrecognizedFunction,
};
