import { describe, expect, it } from 'vitest';
import type { ItemChange } from '../../../../../local-runtime/emulator/changes/ItemChange.js';
import {
  captureChange,
  captureChangeText,
} from '../../../../../local-runtime/emulator/streams/changeCapture.js';
import type { AttributeMap, AttributeValue } from '../../../../../src/records/attributeValue.js';
import type { StreamViewType } from '../../../../../src/records/streamRecord.js';
import { Random } from '../../../../helpers/Random.js';

// The stream stores a record's text as captureChangeText builds it, GetRecords sends that text: it must be the
// text JSON.stringify gives for the record captureChange builds, for every kind of change and view type.

const VIEW_TYPES: readonly StreamViewType[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];
/** Strings JSON must escape or that are not ASCII, beside plain ones. */
const AWKWARD = [
  'plain',
  'quote " and \\ backslash',
  'line\nbreak\ttab',
  '\u0000\u001f',
  'é ü 漢字',
  '😀',
  '\ud800',
];

const stringOf = (random: Random): string => random.pick([...AWKWARD, random.word()]);

const attributeValueOf = (random: Random, depth = 0): AttributeValue => {
  switch (random.int(depth > 2 ? 5 : 8)) {
    case 0:
      return { S: stringOf(random) };
    case 1:
      return { N: String(random.int(100000) - 50000) };
    case 2:
      return { BOOL: random.chance(0.5) };
    case 3:
      return { NULL: true };
    case 4:
      return { SS: [stringOf(random), `${stringOf(random)}!`] };
    case 5:
      return { L: [attributeValueOf(random, depth + 1), attributeValueOf(random, depth + 1)] };
    case 6:
      return { M: itemOf(random, depth + 1) };
    default:
      return { B: 'AAEC' };
  }
};

const itemOf = (random: Random, depth = 0): AttributeMap => {
  const item: AttributeMap = {};
  for (let i = random.int(5); i >= 0; i--)
    item[random.pick(['a', 'b', '__proto__', 'toJSON', '0', stringOf(random)])] = attributeValueOf(
      random,
      depth,
    );
  return item;
};

const changeOf = (random: Random): ItemChange => {
  const keys: AttributeMap = { pk: { S: stringOf(random) }, sk: { N: String(random.int(1000)) } };
  const kind = random.int(3);
  const oldImage = kind === 0 ? undefined : { ...itemOf(random), ...keys };
  const newImage = kind === 2 ? undefined : { ...itemOf(random), ...keys };
  return {
    keys,
    ...(oldImage === undefined ? {} : { oldImage, oldImageSize: random.int(500) }),
    ...(newImage === undefined ? {} : { newImage }),
    ...(random.chance(0.2) ? { bySystem: true } : {}),
  };
};

describe('captureChangeText', () => {
  it("is JSON.stringify of captureChange's record, and its SizeBytes, for inserts, modifies, removes and every view type", () => {
    const random = new Random(20261207);
    for (let i = 0; i < 2000; i++) {
      const change = changeOf(random);
      const context = {
        viewType: random.pick(VIEW_TYPES),
        region: random.pick(['us-east-1', 'eu-west-1', 'odd "region"']),
        sequenceNumber: String(10n ** 20n + BigInt(i)),
        eventId: random.pick([
          '0123456789abcdef0123456789abcdef',
          'quote"id',
          'back\\slash',
          'tab\tid',
          'ünïcode',
          '\u007f',
          '~ ',
        ]),
        now: 1_765_000_000_000 + random.int(10_000_000),
      };
      const record = captureChange(change, context);
      const captured = captureChangeText(change, context);
      expect(captured.text).toBe(JSON.stringify(record));
      expect(captured.sizeBytes).toBe(record.dynamodb.SizeBytes);
    }
  });

  it('takes the record path for an instant that is not a number', () => {
    const change: ItemChange = { keys: { pk: { S: 'a' } }, newImage: { pk: { S: 'a' } } };
    const context = {
      viewType: 'NEW_IMAGE' as const,
      region: 'r',
      sequenceNumber: '1',
      eventId: 'e',
      now: Number.NaN,
    };
    expect(captureChangeText(change, context).text).toBe(JSON.stringify(captureChange(change, context)));
  });
});
