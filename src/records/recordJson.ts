import type { DynamoDBRecord } from 'aws-lambda';

/** Records' JSON, written once: sizing a batch needs it, and so does the event that carries the batch. */
const written = new WeakMap<DynamoDBRecord, string>();

/**
 * A record's JSON as Lambda's event carries it, kept while the record is: `takeBatch` measures a batch by it and
 * `eventJson` joins it into the event's text, so a record is written once on its way to the function instead of
 * twice. Records are never changed once read (the runtime hands them on as they came), so the text stays true.
 *
 * @example
 * Buffer.byteLength(recordJson(record)); // the bytes the record adds to an event, without its comma
 */
const recordJson = (record: DynamoDBRecord): string => {
  let text = written.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    written.set(record, text);
  }
  return text;
};

/**
 * Records `text` as `record`'s JSON, for a record whose text is at hand already (cut from the GetRecords page it
 * was parsed from, see `elementTexts`): `text` must parse to a value equal to `record`.
 *
 * @example
 * keepRecordJson(record, '{"eventID":"1",…}');
 * recordJson(record); // '{"eventID":"1",…}', not written again
 */
const keepRecordJson = (record: DynamoDBRecord, text: string): void => {
  written.set(record, text);
};

export { keepRecordJson, recordJson };
