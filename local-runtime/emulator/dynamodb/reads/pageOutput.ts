import { pageReadCapacity } from '../capacity/pageReadCapacity.js';
import type { Page } from './readPage.js';
import { lastEvaluatedKey, type ReadTarget } from './readTarget.js';

/**
 * A Query or Scan page as DynamoDB answers it: Items (none for Select COUNT), Count, ScannedCount, a
 * LastEvaluatedKey when the page stopped early, and ConsumedCapacity when asked for.
 */
const pageOutput = (
  page: Page,
  target: ReadTarget,
  input: Record<string, unknown>,
  countOnly: boolean,
): Record<string, unknown> => ({
  ...(countOnly ? {} : { Items: page.items }),
  Count: page.count,
  ScannedCount: page.scannedCount,
  ...(page.lastEvaluated === undefined
    ? {}
    : { LastEvaluatedKey: lastEvaluatedKey(target, page.lastEvaluated) }),
  ...pageReadCapacity(
    input.ReturnConsumedCapacity,
    target.table.name,
    target.index,
    page.reads,
    input.ConsistentRead === true,
  ),
});

export { pageOutput };
