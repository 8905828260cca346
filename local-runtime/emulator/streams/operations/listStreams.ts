import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';

/** Streams of the region (or of one table), oldest first, paged by Limit and ExclusiveStartStreamArn. */
const listStreams: Operation = (input, { region }) => {
  const constraints = new Constraints();
  if (input.TableName !== undefined) constraints.tableName('tableName', input.TableName);
  constraints.range('limit', input.Limit, 1, 100);
  constraints.check();
  const limit = (input.Limit as number | undefined) ?? 100;
  const all = [...region.streams.values()].filter(
    (s) => input.TableName === undefined || s.tableName === input.TableName,
  );
  const startIndex =
    input.ExclusiveStartStreamArn === undefined
      ? 0
      : all.findIndex((s) => s.arn === input.ExclusiveStartStreamArn) + 1;
  const page = all.slice(startIndex, startIndex + limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
    ...(startIndex + limit < all.length ? { LastEvaluatedStreamArn: page.at(-1)?.arn } : {}),
  };
};

export { listStreams };
