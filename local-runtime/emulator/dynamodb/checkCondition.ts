import type { AttributeMap } from '../../../src/records/attributeValue.js';
import { conditionalCheckFailedException } from '../errors.js';
import { type Condition, evaluateCondition } from './expressions/index.js';

/**
 * Applies a write's ConditionExpression to the item as it is now. A failed condition writes nothing (and so
 * no stream record); with ReturnValuesOnConditionCheckFailure ALL_OLD the error carries the current item.
 */
const checkCondition = (
  condition: Condition | undefined,
  existing: AttributeMap | undefined,
  input: Record<string, unknown>,
): void => {
  if (condition === undefined || evaluateCondition(condition, existing)) return;
  const returnItem = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing !== undefined;
  throw conditionalCheckFailedException(returnItem ? existing : undefined);
};

export { checkCondition };
