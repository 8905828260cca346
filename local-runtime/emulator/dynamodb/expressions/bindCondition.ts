import { ATTRIBUTE_TYPES, type AttributeType } from '../../../../src/records/attributeValue.js';
import type { CallNode, ConditionNode, OperandNode } from './ast.js';
import type { Condition, DocumentPath, Operand } from './compiled.js';
import { ExpressionError } from './expressionError.js';
import {
  checkBetweenBounds,
  operandTypeError,
  requireDistinct,
  requireTypes,
  staticType,
} from './operandTypes.js';
import type { Placeholders } from './Placeholders.js';

/** The IN operator takes at most 100 candidates. */
const MAX_IN_OPERANDS = 100;

const SCALAR_TYPES: readonly AttributeType[] = ['S', 'N', 'B'];
const SIZED_TYPES: readonly AttributeType[] = ['S', 'B', 'SS', 'NS', 'BS', 'L', 'M'];

/**
 * How DynamoDB names "any type" when `attribute_type` is given a path instead of a type name: its internal
 * type set, verbatim from DynamoDB Local 3.x (as recorded by the KeyValueStore expression tester).
 */
const ANY_TYPE =
  '{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}';
const TYPE_NAMES = '{N,BS,L,B,NULL,M,S,SS,NS,BOOL}';

/**
 * DynamoDB's second pass over a condition (ConditionExpression, FilterExpression, KeyConditionExpression),
 * in written order: resolves placeholders, checks operand types known before any item is seen, and returns the
 * compiled condition. Assumes `checkSyntaxRules` passed.
 */
const bindCondition = (node: ConditionNode, placeholders: Placeholders): Condition => {
  switch (node.kind) {
    case 'and':
    case 'or':
      return {
        kind: node.kind,
        left: bindCondition(node.left, placeholders),
        right: bindCondition(node.right, placeholders),
      };
    case 'not':
      return { kind: 'not', operand: bindCondition(node.operand, placeholders) };
    case 'conditionGroup':
      return bindCondition(node.inner, placeholders);
    case 'comparison': {
      const left = bindOperand(node.left, placeholders);
      const right = bindOperand(node.right, placeholders);
      requireDistinct(node.operator, left, [right]);
      if (node.operator !== '=' && node.operator !== '<>') {
        requireTypes(node.operator, left, SCALAR_TYPES);
        requireTypes(node.operator, right, SCALAR_TYPES);
      }
      return { kind: 'comparison', operator: node.operator, left, right };
    }
    case 'between': {
      const operand = bindOperand(node.operand, placeholders);
      const lower = bindOperand(node.lower, placeholders);
      const upper = bindOperand(node.upper, placeholders);
      requireDistinct('BETWEEN', operand, [lower, upper]);
      for (const o of [operand, lower, upper]) requireTypes('BETWEEN', o, SCALAR_TYPES);
      if (lower.kind === 'value' && upper.kind === 'value') checkBetweenBounds(lower.value, upper.value);
      return { kind: 'between', operand, lower, upper };
    }
    case 'in': {
      const operand = bindOperand(node.operand, placeholders);
      const candidates = node.candidates.map((candidate) => bindOperand(candidate, placeholders));
      if (candidates.length > MAX_IN_OPERANDS) {
        throw new ExpressionError(
          `The IN operator is provided with too many operands; number of operands: ${candidates.length}`,
        );
      }
      requireDistinct('IN', operand, candidates);
      return { kind: 'in', operand, candidates };
    }
    default:
      return bindConditionCall(node, placeholders);
  }
};

const requirePath = (name: string, operand: Operand): DocumentPath => {
  if (operand.kind !== 'path') {
    throw new ExpressionError(`Operator or function requires a document path; operator or function: ${name}`);
  }
  return operand.path;
};

const bindConditionCall = (call: CallNode, placeholders: Placeholders): Condition => {
  const args = call.args.map((arg) => bindOperand(arg, placeholders));
  const [first, second] = args as [Operand, Operand | undefined];
  switch (call.name) {
    case 'attribute_exists':
    case 'attribute_not_exists':
      return { kind: call.name, path: requirePath(call.name, first) };
    case 'attribute_type': {
      const path = requirePath(call.name, first);
      const typeOperand = second as Operand;
      requireDistinct(call.name, first, [typeOperand]);
      return { kind: 'attribute_type', path, type: typeName(typeOperand) };
    }
    case 'begins_with':
      requireDistinct(call.name, first, [second as Operand]);
      for (const arg of args) requireTypes(call.name, arg, ['S', 'B']);
      return { kind: 'begins_with', left: first, right: second as Operand };
    default:
      requireDistinct(call.name, first, [second as Operand]);
      return { kind: 'contains', left: first, right: second as Operand };
  }
};

/** The second operand of `attribute_type`: a `:value` holding one of the ten type names. */
const typeName = (operand: Operand): AttributeType => {
  if (operand.kind !== 'value')
    throw operandTypeError('attribute_type', operand.kind === 'size' ? 'N' : ANY_TYPE);
  if (!('S' in operand.value)) throw operandTypeError('attribute_type', staticType(operand) as string);
  const name = operand.value.S;
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(name)) {
    throw new ExpressionError(`Invalid attribute type name found; type: ${name}, valid types: ${TYPE_NAMES}`);
  }
  return name as AttributeType;
};

const bindOperand = (node: OperandNode, placeholders: Placeholders): Operand => {
  switch (node.kind) {
    case 'path':
      return { kind: 'path', path: placeholders.path(node) };
    case 'value':
      return { kind: 'value', value: placeholders.value(node.placeholder) };
    case 'operandGroup':
      return bindOperand(node.inner, placeholders);
    default: {
      // Only size() gets here: checkSyntaxRules refuses every other function as an operand.
      const operand = bindOperand(node.args[0] as OperandNode, placeholders);
      requireTypes('size', operand, SIZED_TYPES);
      return { kind: 'size', operand };
    }
  }
};

export { bindCondition };
