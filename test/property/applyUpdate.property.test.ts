import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyUpdate, compileExpressions } from '../../local-runtime/emulator/dynamodb/expressions/index.js';
import { AwsServiceError } from '../../local-runtime/emulator/errors.js';
import { item } from './attributeArbitraries.js';
import { type Failure, modelUpdate, renderUpdate, updateActions } from './updateModel.js';
import { sortItemSets } from './valueModel.js';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 5000);

const MESSAGES: Readonly<Record<Failure, string>> = {
  path: 'The document path provided in the update expression is invalid for update',
  missing: 'The provided expression refers to an attribute that does not exist in the item',
  type: 'An operand in the update expression has an incorrect data type',
};

describe('applyUpdate against an independent model', () => {
  it('gives the model’s item, or one of the model’s errors, for random updates of random items', () => {
    fc.assert(
      fc.property(updateActions, item, (actions, before) => {
        const { expression, names, values } = renderUpdate(actions);
        const { update } = compileExpressions({
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        });
        if (update === undefined) throw new Error(`no update compiled from ${expression}`);
        const snapshot = structuredClone(before);
        const expected = modelUpdate(actions, before);
        let outcome: { item: unknown } | { error: unknown };
        try {
          outcome = { item: applyUpdate(update, before) };
        } catch (error) {
          outcome = { error };
        }
        // The input item is never changed, whatever happens.
        expect(before).toEqual(snapshot);
        if ('item' in expected) {
          expect(outcome, expression).toHaveProperty('item');
          if ('item' in outcome)
            expect(sortItemSets(outcome.item as never), expression).toEqual(sortItemSets(expected.item));
        } else {
          expect(outcome, expression).toHaveProperty('error');
          const error = (outcome as { error: unknown }).error;
          expect(error).toBeInstanceOf(AwsServiceError);
          expect((error as AwsServiceError).name).toBe('ValidationException');
          expect(
            [...expected.failures].map((failure) => MESSAGES[failure]),
            expression,
          ).toContain((error as AwsServiceError).message);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
