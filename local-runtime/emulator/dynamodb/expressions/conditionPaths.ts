import type { Condition, DocumentPath, Operand } from './compiled.js';

const operandPaths = (operand: Operand): DocumentPath[] => {
  if (operand.kind === 'path') return [operand.path];
  if (operand.kind === 'size') return operandPaths(operand.operand);
  return [];
};

/** Every document path a condition reads, in written order (for checks on key attributes). */
const conditionPaths = (condition: Condition): DocumentPath[] => {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...conditionPaths(condition.left), ...conditionPaths(condition.right)];
    case 'not':
      return conditionPaths(condition.operand);
    case 'comparison':
    case 'begins_with':
    case 'contains':
      return [...operandPaths(condition.left), ...operandPaths(condition.right)];
    case 'between':
      return [condition.operand, condition.lower, condition.upper].flatMap(operandPaths);
    case 'in':
      return [condition.operand, ...condition.candidates].flatMap(operandPaths);
    default:
      return [condition.path];
  }
};

export { conditionPaths };
