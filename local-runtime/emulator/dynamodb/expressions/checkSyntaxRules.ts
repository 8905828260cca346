import type {
  CallNode,
  ConditionNode,
  OperandNode,
  PathNode,
  ProjectionNode,
  SetValueNode,
  UpdateNode,
} from './ast.js';
import { ExpressionError } from './expressionError.js';
import { CONDITION_FUNCTIONS, functionArity, UPDATE_FUNCTIONS } from './functions.js';
import { isReservedWord } from './reservedWords.js';

/** The largest list index DynamoDB accepts: a Java int. */
const MAX_LIST_INDEX = 2147483647;

/**
 * DynamoDB's first pass over a parsed expression, which needs no placeholders: reserved words, list index
 * range, function names, where each function may be used, operand counts of condition functions and, for
 * updates, repeated sections. It walks the tree in written order and stops at the first problem, so the
 * problem reported is the first one written.
 */
const checkSyntaxRules = (
  tree:
    | { readonly kind: 'condition'; readonly node: ConditionNode }
    | { readonly kind: 'update'; readonly node: UpdateNode }
    | { readonly kind: 'projection'; readonly node: ProjectionNode },
): void => {
  switch (tree.kind) {
    case 'condition':
      checkCondition(tree.node);
      return;
    case 'projection':
      for (const path of tree.node.paths) checkPath(path);
      return;
    default:
      checkUpdate(tree.node);
  }
};

const checkPath = (path: PathNode): void => {
  for (const part of path.parts) {
    if (part.kind === 'index') {
      if (part.digits.length > 10 || Number(part.digits) > MAX_LIST_INDEX) {
        throw new ExpressionError(`List index is not within the allowable range; index: [${part.digits}]`);
      }
    } else if (part.kind === 'name' && isReservedWord(part.name)) {
      throw new ExpressionError(`Attribute name is a reserved keyword; reserved keyword: ${part.name}`);
    }
  }
};

const checkFunctionName = (call: CallNode): void => {
  if (functionArity(call.name) === undefined) {
    throw new ExpressionError(`Invalid function name; function: ${call.name}`);
  }
};

const checkArity = (call: CallNode): void => {
  if (call.args.length !== functionArity(call.name)) {
    throw new ExpressionError(
      `Incorrect number of operands for operator or function; operator or function: ${call.name}, number of operands: ${call.args.length}`,
    );
  }
};

/** A function call where a condition is expected (`asCondition`) or inside one, as an operand. */
const checkConditionCall = (call: CallNode, asCondition: boolean): void => {
  checkFunctionName(call);
  if (UPDATE_FUNCTIONS.has(call.name)) {
    throw new ExpressionError(
      `The function is not allowed in a condition expression; function: ${call.name}`,
    );
  }
  if (asCondition !== CONDITION_FUNCTIONS.has(call.name)) {
    throw new ExpressionError(
      `The function is not allowed to be used this way in an expression; function: ${call.name}`,
    );
  }
  checkArity(call);
  for (const arg of call.args) checkConditionOperand(arg);
};

const checkConditionOperand = (operand: OperandNode): void => {
  switch (operand.kind) {
    case 'path':
      checkPath(operand);
      return;
    case 'value':
      return;
    case 'operandGroup':
      checkConditionOperand(operand.inner);
      return;
    default:
      checkConditionCall(operand, false);
  }
};

const checkCondition = (node: ConditionNode): void => {
  switch (node.kind) {
    case 'and':
    case 'or':
      checkCondition(node.left);
      checkCondition(node.right);
      return;
    case 'not':
      checkCondition(node.operand);
      return;
    case 'conditionGroup':
      checkCondition(node.inner);
      return;
    case 'call':
      checkConditionCall(node, true);
      return;
    case 'comparison':
      checkConditionOperand(node.left);
      checkConditionOperand(node.right);
      return;
    case 'between':
      for (const operand of [node.operand, node.lower, node.upper]) checkConditionOperand(operand);
      return;
    default:
      checkConditionOperand(node.operand);
      for (const candidate of node.candidates) checkConditionOperand(candidate);
  }
};

/** In an update, operand counts are checked later, with the placeholders, as DynamoDB does. */
const checkUpdateValue = (value: SetValueNode): void => {
  switch (value.kind) {
    case 'path':
      checkPath(value);
      return;
    case 'value':
      return;
    case 'operandGroup':
      checkUpdateValue(value.inner);
      return;
    case 'arithmetic':
      checkUpdateValue(value.left);
      checkUpdateValue(value.right);
      return;
    default:
      checkFunctionName(value);
      if (!UPDATE_FUNCTIONS.has(value.name)) {
        throw new ExpressionError(
          `The function is not allowed in an update expression; function: ${value.name}`,
        );
      }
      for (const arg of value.args) checkUpdateValue(arg);
  }
};

/**
 * DynamoDB reads an update a section at a time, in the order each keyword first appears, checking all of a
 * keyword's clauses before reporting that the keyword was repeated.
 */
const checkUpdate = (update: UpdateNode): void => {
  const keywords = [...new Set(update.clauses.map((clause) => clause.keyword))];
  for (const keyword of keywords) {
    const clauses = update.clauses.filter((clause) => clause.keyword === keyword);
    for (const clause of clauses) {
      for (const action of clause.actions) {
        checkPath(action.path);
        if (action.kind !== 'REMOVE') checkUpdateValue(action.value);
      }
    }
    if (clauses.length > 1) {
      throw new ExpressionError(`The "${keyword}" section can only be used once in an update expression;`);
    }
  }
};

export { checkSyntaxRules };
