import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { AwsServiceError } from '../../errors.js';
import { valuesEqual } from '../attributes/compareValues.js';
import { pageReadCapacity } from '../capacity/pageReadCapacity.js';
import { getOwn } from '../expressions/documentPath.js';
import type { KeyTuple } from '../indexes/keyOrder.js';
import { afterStartKey, FULL_RANGE, queryRange } from '../reads/keyRange.js';
import { readPage } from '../reads/readPage.js';
import { startKeyTuple } from '../reads/readRequest.js';
import { lastEvaluatedKey } from '../reads/readTarget.js';
import { encodeNextToken, invalidNextToken } from './nextToken.js';
import type { SelectPlan } from './planSelect.js';
import { projectItem } from './selectProjection.js';

interface PageOptions {
  /** Limit: at most this many items read (before the filter), as for Query and Scan. */
  readonly limit?: number;
  /** Where a NextToken says the page starts: the key of the last item the previous page read. */
  readonly startKey?: AttributeMap;
  readonly returnConsumedCapacity?: unknown;
  readonly consistentRead: boolean;
}

/**
 * Reads one page of a SELECT through the same page reader as Query and Scan (Limit counts items read, 1 MB per
 * page, the filter after the limit, capacity from the bytes read): a Scan of the table or index, or the
 * partitions the WHERE clause pins, one after the other, each in sort key order. The NextToken carries the key
 * of the last item read; a token that does not fit this SELECT's table, index or partitions is invalid.
 */
const readSelect = (plan: SelectPlan, options: PageOptions): Record<string, unknown> => {
  const { table, target, partitions, forward } = plan;
  const { startKey } = options;
  let start: KeyTuple | undefined;
  let first = 0;
  if (startKey !== undefined) {
    try {
      if (Object.keys(startKey).length !== target.keyNames.length) throw invalidNextToken();
      start = startKeyTuple(target, startKey);
    } catch (error) {
      if (error instanceof AwsServiceError) throw invalidNextToken();
      throw error;
    }
    if (partitions !== undefined) {
      const value = getOwn(startKey, target.keySchema.hashKey);
      first = partitions.findIndex(
        ({ partitionKey }) => value !== undefined && valuesEqual(partitionKey.value, value),
      );
      if (first < 0) throw invalidNextToken();
    }
  }
  const source = target.index ?? table;
  const entries = function* () {
    if (partitions === undefined) {
      const range = afterStartKey(FULL_RANGE, start, true);
      yield* source.entries(range.low, range.high, true);
      return;
    }
    for (let i = first; i < partitions.length; i += 1) {
      const range = queryRange(partitions[i] as (typeof partitions)[number]);
      const narrowed = i === first ? afterStartKey(range, start, forward) : range;
      yield* source.entries(narrowed.low, narrowed.high, forward);
    }
  };
  const { projection: _, ...returned } = plan.projection;
  const page = readPage({
    entries: entries(),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(plan.filter === undefined ? {} : { filter: plan.filter }),
    ...returned,
    rangeKey: table.definition.keySchema.rangeKey,
  });
  const { list } = plan;
  const last = page.lastEvaluated === undefined ? undefined : lastEvaluatedKey(target, page.lastEvaluated);
  return {
    Items: list === undefined ? page.items : page.items.map((item) => projectItem(list, item)),
    ...(last === undefined ? {} : { NextToken: encodeNextToken(last), LastEvaluatedKey: last }),
    ...pageReadCapacity(
      options.returnConsumedCapacity,
      table.name,
      target.index,
      page.reads,
      options.consistentRead,
    ),
  };
};

export { readSelect };
