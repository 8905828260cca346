import fc from 'fast-check';
import type { AttributeMap, AttributeValue } from '../../src/records/attributeValue.js';

/**
 * Small pools of attribute values, so that random items and random expressions often meet: equal values,
 * values of one type in another order, prefixes, set members. Numbers are integers and binaries canonical
 * base64, so the models can compare them without a decimal library.
 */

const STRINGS = ['', 'a', 'ab', 'abc', 'b', 'ba', 'Z'] as const;
const NUMBERS = ['-2', '0', '1', '3', '10', '9'] as const;
// [], [0], [0, 1], [1], [255]
const BINARIES = ['', 'AA==', 'AAE=', 'AQ==', '/w=='] as const;

const stringValue = fc.constantFrom(...STRINGS).map((S): AttributeValue => ({ S }));
const numberValue = fc.constantFrom(...NUMBERS).map((N): AttributeValue => ({ N }));
const binaryValue = fc.constantFrom(...BINARIES).map((B): AttributeValue => ({ B }));

const scalarValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  stringValue,
  numberValue,
  binaryValue,
  fc.boolean().map((BOOL): AttributeValue => ({ BOOL })),
  fc.constant<AttributeValue>({ NULL: true }),
);

const setValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.subarray(['a', 'b', 'c'], { minLength: 1 }).map((SS): AttributeValue => ({ SS })),
  fc.subarray(['1', '2', '10'], { minLength: 1 }).map((NS): AttributeValue => ({ NS })),
  fc.subarray(['AA==', 'AQ=='], { minLength: 1 }).map((BS): AttributeValue => ({ BS })),
);

/** Any value, nesting lists and maps up to `depth` levels. */
const attributeValue = (depth: number): fc.Arbitrary<AttributeValue> =>
  depth <= 0
    ? fc.oneof(scalarValue, setValue)
    : fc.oneof(
        { weight: 3, arbitrary: scalarValue },
        { weight: 1, arbitrary: setValue },
        {
          weight: 1,
          arbitrary: fc
            .array(attributeValue(depth - 1), { maxLength: 3 })
            .map((L): AttributeValue => ({ L })),
        },
        {
          weight: 1,
          arbitrary: fc
            .dictionary(fc.constantFrom('x', 'y', 'z'), attributeValue(depth - 1), { maxKeys: 3 })
            .map((M): AttributeValue => ({ M })),
        },
      );

const mapValue = fc
  .dictionary(fc.constantFrom('x', 'y', 'z'), attributeValue(1), { maxKeys: 3 })
  .map((M): AttributeValue => ({ M }));
const listValue = fc.array(attributeValue(1), { maxLength: 3 }).map((L): AttributeValue => ({ L }));

/**
 * An item over the attribute names the expression generators use: `a`, `b`, `c` of any type, `m` and `n`
 * usually maps, `l` usually a list, each sometimes missing.
 */
const item: fc.Arbitrary<AttributeMap> = fc.record(
  {
    a: attributeValue(1),
    b: attributeValue(1),
    c: attributeValue(0),
    m: fc.oneof({ weight: 4, arbitrary: mapValue }, { weight: 1, arbitrary: scalarValue }),
    n: fc.oneof({ weight: 4, arbitrary: mapValue }, { weight: 1, arbitrary: listValue }),
    l: fc.oneof({ weight: 4, arbitrary: listValue }, { weight: 1, arbitrary: scalarValue }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<AttributeMap>;

export {
  attributeValue,
  BINARIES,
  binaryValue,
  item,
  NUMBERS,
  numberValue,
  STRINGS,
  scalarValue,
  setValue,
  stringValue,
};
