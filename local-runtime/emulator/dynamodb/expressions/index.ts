/**
 * DynamoDB's expression language: ConditionExpression, FilterExpression, KeyConditionExpression,
 * UpdateExpression and ProjectionExpression, parsed, checked with DynamoDB's ValidationException messages, and
 * run against items. Pure: no I/O, no clock.
 */

export { applyProjection } from './applyProjection.js';
export { applyUpdate } from './applyUpdate.js';
export type { ExpressionKeySchema } from './bindKeyCondition.js';
export type {
  Condition,
  DocumentPath,
  KeyCondition,
  KeyConditionTerm,
  KeyOperator,
  Operand,
  PathElement,
  Projection,
  Update,
  UpdateAction,
  UpdateClause,
  UpdateValue,
} from './compiled.js';
export type { CompiledExpressions, CompileOptions, ExpressionRequest } from './compileExpressions.js';
export { compileExpressions } from './compileExpressions.js';
export { conditionPaths } from './conditionPaths.js';
export { formatPath, readPath } from './documentPath.js';
export { evaluateCondition } from './evaluateCondition.js';
export { matchesKeyCondition, matchesSortKey } from './matchesKeyCondition.js';
export { isReservedWord, RESERVED_WORDS } from './reservedWords.js';
