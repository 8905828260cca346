import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { pageAfterCursor } from '../pageAfterCursor.js';
import { streamArnConstraints } from '../requireStream.js';

/**
 * Streams of the region (or of one table), in ARN order, paged by Limit and ExclusiveStartStreamArn
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html). ARN order
 * is table name, then creation time (the label), which is how DynamoDB Local pages them; it makes a cursor that
 * names no stream (e.g. one since deleted) continue where that stream would have been (`pageAfterCursor`).
 */
const listStreams: Operation = (input, { region }) => {
  const constraints = new Constraints();
  if (input.TableName !== undefined) constraints.tableName('tableName', input.TableName);
  constraints.range('limit', input.Limit, 1, Number.POSITIVE_INFINITY);
  if (input.ExclusiveStartStreamArn !== undefined) {
    streamArnConstraints(constraints, input.ExclusiveStartStreamArn, 'exclusiveStartStreamArn');
  }
  constraints.check();
  // The model bounds Limit below only; "the upper limit is 100" is the service's own check, in DynamoDB
  // Local's words (AWS documents none).
  if (typeof input.Limit === 'number' && input.Limit > 100) {
    throw validationException(
      'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100',
    );
  }
  const all = [...region.streams.values()]
    .filter((s) => input.TableName === undefined || s.tableName === input.TableName)
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const { page, last } = pageAfterCursor(
    all,
    (s) => s.arn,
    input.ExclusiveStartStreamArn as string | undefined,
    (input.Limit as number | undefined) ?? 100,
  );
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
    ...(last === undefined ? {} : { LastEvaluatedStreamArn: last }),
  };
};

export { listStreams };
