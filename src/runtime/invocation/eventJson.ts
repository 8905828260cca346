import type { DynamoDBStreamEvent } from 'aws-lambda';
import { recordJson } from '../../records/recordJson.js';

/**
 * The event's JSON, its records' parts joined from `recordJson` (written when the batch was sized) rather than
 * written again: what `JSON.stringify(event)` gives, `Records` first, then the event's other members (a
 * tumbling window's `window`, `state`, …) as `JSON.stringify` writes them.
 *
 * @example
 * JSON.parse(eventJson(event)); // the copy of the event a function receives
 */
const eventJson = (event: DynamoDBStreamEvent): string => {
  const { Records, ...rest } = event;
  if (!Array.isArray(Records)) return JSON.stringify(event);
  const records = `[${Records.map(recordJson).join(',')}]`;
  const others = JSON.stringify(rest);
  return others === '{}' ? `{"Records":${records}}` : `{"Records":${records},${others.slice(1)}`;
};

export { eventJson };
