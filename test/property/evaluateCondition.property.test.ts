import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileExpressions,
  evaluateCondition,
} from '../../local-runtime/emulator/dynamodb/expressions/index.js';
import { item } from './attributeArbitraries.js';
import { conditionTree, modelCondition, renderCondition } from './conditionModel.js';

// Enough runs to meet every operator on every value type several times; the whole file runs in about a second.
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);

describe('evaluateCondition against an independent model', () => {
  it('agrees with the model on random conditions over random items (and on no item at all)', () => {
    fc.assert(
      fc.property(conditionTree, fc.option(item, { nil: undefined, freq: 8 }), (tree, subject) => {
        const { expression, names, values } = renderCondition(tree);
        const { condition } = compileExpressions({
          ConditionExpression: expression,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        });
        if (condition === undefined) throw new Error(`no condition compiled from ${expression}`);
        expect(evaluateCondition(condition, subject), expression).toBe(modelCondition(tree, subject));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
