/**
 * The requests that change state and so go to the journal. Reads never do: what time changes on its own
 * (shard rollover, retention trimming, table status) is a pure function of the clock, recomputed on replay.
 */
const MUTATIONS = new Set([
  'DynamoDB_20120810.CreateTable',
  'DynamoDB_20120810.UpdateTable',
  'DynamoDB_20120810.DeleteTable',
  'DynamoDB_20120810.PutItem',
  'DynamoDB_20120810.UpdateItem',
  'DynamoDB_20120810.DeleteItem',
  'DynamoDB_20120810.BatchWriteItem',
  'DynamoDB_20120810.TransactWriteItems',
  // PartiQL may read or write; a read replayed from the journal changes nothing.
  'DynamoDB_20120810.ExecuteStatement',
  'DynamoDB_20120810.BatchExecuteStatement',
  'DynamoDB_20120810.ExecuteTransaction',
  'DynamoDB_20120810.UpdateTimeToLive',
  'DynamoDB_20120810.TagResource',
  'DynamoDB_20120810.UntagResource',
  'EddyControl.RollOver',
  'EddyControl.Split',
  'EddyControl.SweepTtl',
]);

const isMutation = (target: string): boolean => MUTATIONS.has(target);

export { isMutation };
