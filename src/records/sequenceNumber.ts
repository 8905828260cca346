/**
 * DynamoDB Streams sequence numbers are decimal strings of 21 to 40 digits that only grow within a shard.
 * They must be compared as integers: "9" sorts after "10" as text
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html).
 *
 * @example
 * records.sort((a, b) => compareSequenceNumbers(a.dynamodb.SequenceNumber, b.dynamodb.SequenceNumber));
 */
const compareSequenceNumbers = (a: string, b: string): number => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** True when `text` has the form of a sequence number (digits only, 21 to 40 of them). */
const isSequenceNumber = (text: string): boolean => /^\d{21,40}$/.test(text);

/** The lowest of several sequence numbers, or undefined for none. */
const minSequenceNumber = (numbers: Iterable<string>): string | undefined => {
  let lowest: string | undefined;
  for (const n of numbers) {
    if (lowest === undefined || compareSequenceNumbers(n, lowest) < 0) lowest = n;
  }
  return lowest;
};

export { compareSequenceNumbers, isSequenceNumber, minSequenceNumber };
