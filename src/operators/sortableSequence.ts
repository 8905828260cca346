/**
 * Sequence numbers have up to 40 digits, more than a DynamoDB number holds, so operators store them as
 * zero-padded strings, which compare in condition expressions (`#seq < :seq`) as the numbers do. A bootstrap
 * snapshot record (`snapshot`: its `SequenceNumber` numbers it within the snapshot, not in the stream) is the
 * item's state before every change the stream has, so it takes the lowest order: forty zeros, below every real
 * sequence number, and equal for all of an item's snapshot records (a repeated one changes nothing).
 * @internal
 */
const sortableSequence = (sequenceNumber: string, snapshot?: boolean): string =>
  snapshot === true ? '0'.repeat(40) : sequenceNumber.padStart(40, '0');

export { sortableSequence };
