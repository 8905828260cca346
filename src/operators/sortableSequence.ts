/**
 * Sequence numbers have up to 40 digits, more than a DynamoDB number holds, so operators store them as
 * zero-padded strings, which compare in condition expressions (`#seq < :seq`) as the numbers do.
 * @internal
 */
const sortableSequence = (sequenceNumber: string): string => sequenceNumber.padStart(40, '0');

export { sortableSequence };
