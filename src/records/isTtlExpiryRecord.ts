import type { DynamoDBRecord } from 'aws-lambda';

/** The principal DynamoDB's TTL process deletes as (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html). */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/**
 * Whether a Lambda stream record is a delete made by TTL: a REMOVE "tagged as a system delete", with
 * `userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }` (the pattern AWS's TTL guide
 * filters on: `{"userIdentity":{"type":["Service"],"principalId":["dynamodb.amazonaws.com"]}}`).
 *
 * @example
 * event.Records.filter(isTtlExpiryRecord); // the items that expired
 */
const isTtlExpiryRecord = (record: DynamoDBRecord): boolean => {
  const identity = record.userIdentity as { type?: unknown; principalId?: unknown } | null | undefined;
  return (
    record.eventName === 'REMOVE' && identity?.type === 'Service' && identity.principalId === TTL_PRINCIPAL
  );
};

export { isTtlExpiryRecord };
