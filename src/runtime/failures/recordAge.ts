import type { DynamoDBRecord } from 'aws-lambda';

/**
 * ⑥ How many records at the front of `queue` are older than MaximumRecordAgeInSeconds (-1: no limit) at
 * `nowMs`. Age is measured from each record's ApproximateCreationDateTime; expired records are discarded
 * (and reported as `RecordAgeExceeded`) instead of invoked
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html, MaximumRecordAgeInSeconds).
 *
 * @example
 * expiredCount(queue, Date.now(), 60); // records created more than a minute ago, from the front
 */
const expiredCount = (queue: readonly DynamoDBRecord[], nowMs: number, maxAgeSeconds: number): number => {
  if (maxAgeSeconds === -1) return 0;
  const oldestAllowed = nowMs / 1000 - maxAgeSeconds;
  let count = 0;
  while (count < queue.length) {
    const created = queue[count]?.dynamodb?.ApproximateCreationDateTime ?? Number.POSITIVE_INFINITY;
    if (created >= oldestAllowed) break;
    count += 1;
  }
  return count;
};

export { expiredCount };
