import { validationException } from '../../errors.js';

/** The most bytes a key attribute's name, or an attribute projected into an index, may take. */
const MAX_KEY_ATTRIBUTE_NAME_BYTES = 255;

const KEY_NAME_MESSAGE =
  'Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive';

type Wire = Record<string, unknown> | null | undefined;

const list = (value: unknown): Wire[] => (Array.isArray(value) ? (value as Wire[]) : []);

/** The attribute names an index definition (CreateTable's, or UpdateTable's Create) names. */
const indexNames = (index: Wire): unknown[] => [
  ...list(index?.KeySchema).map((element) => element?.AttributeName),
  ...list((index?.Projection as Wire)?.NonKeyAttributes),
];

/**
 * Checks the names of key attributes and projected attributes in a CreateTable or UpdateTable request: the
 * table's KeySchema, the AttributeDefinitions, and every index's KeySchema and NonKeyAttributes
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-attributes: "the
 * name must be between 1 and 255 characters long"). Names are measured in UTF-8 bytes and checked before
 * whether they agree with one another, as DynamoDB does (a too long name among incoherent definitions is
 * reported as too long; undocumented, pinned by test/integration/emulator/attributeNameLimits.test.ts). The message is DynamoDB Local's;
 * AWS's wording is not documented.
 */
const checkKeyAttributeNames = (input: Record<string, unknown>): void => {
  const names: unknown[] = [
    ...list(input.KeySchema).map((element) => element?.AttributeName),
    ...list(input.AttributeDefinitions).map((definition) => definition?.AttributeName),
    ...list(input.GlobalSecondaryIndexes).flatMap(indexNames),
    ...list(input.LocalSecondaryIndexes).flatMap(indexNames),
    ...list(input.GlobalSecondaryIndexUpdates).flatMap((update) => indexNames(update?.Create as Wire)),
  ];
  for (const name of names) {
    if (typeof name !== 'string') continue;
    if (name.length === 0 || Buffer.byteLength(name, 'utf8') > MAX_KEY_ATTRIBUTE_NAME_BYTES) {
      throw validationException(KEY_NAME_MESSAGE);
    }
  }
};

export { checkKeyAttributeNames, MAX_KEY_ATTRIBUTE_NAME_BYTES };
