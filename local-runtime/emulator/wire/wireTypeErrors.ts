import { serializationException, validationException } from '../errors.js';

/**
 * The words DynamoDB's JSON reader (Coral) answers a member of the wrong JSON type with, by the type the member
 * should have had. The catalogue is dynalite's record of AWS's answers (`node_modules/dynalite/validations/index.js`,
 * `checkType`), with the newer reader's wording where this emulator already used it and its tests pin it:
 * an object or a list where a scalar belongs ("Start of structure or map found where not expected.", "Start of
 * list found where not expected"), and the `class java.lang.X can not be converted to an Integer` / `Boolean`
 * family for numbers and booleans (test/integration/emulator/query.test.ts).
 */

/** What a JSON value is, in the reader's vocabulary. */
const structureOrList = (value: object): string =>
  Array.isArray(value)
    ? 'Start of list found where not expected'
    : 'Start of structure or map found where not expected.';

/** A string member (and the members of string lists and maps) given another JSON type. */
const notAString = (value: unknown): Error => {
  switch (typeof value) {
    case 'number':
      return serializationException(
        `${Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to String`,
      );
    case 'boolean':
      return serializationException(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to String`);
    default:
      return serializationException(structureOrList(value as object));
  }
};

/** A binary member (`B`, `BS` members) given anything but a base64 string. */
const notABlob = (value: unknown): Error =>
  typeof value === 'object'
    ? serializationException(structureOrList(value as object))
    : serializationException('only base-64-encoded strings are convertible to bytes');

/** An integer or long member given another JSON type. */
const notANumber = (value: unknown, javaType: 'Integer' | 'Long'): Error => {
  if (typeof value === 'object') return serializationException(structureOrList(value as object));
  const sent = typeof value === 'boolean' ? 'java.lang.Boolean' : 'java.lang.String';
  return serializationException(`class ${sent} can not be converted to an ${javaType}`);
};

/** A boolean member given a number, an object or a list (strings are read as booleans where they can be). */
const notABoolean = (value: unknown): Error => {
  if (typeof value === 'object') return serializationException(structureOrList(value as object));
  if (typeof value === 'number') {
    return serializationException(
      'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean',
    );
  }
  return serializationException(`'${String(value)}' can not be converted to an Boolean`);
};

/** A timestamp member given something that is not a number of seconds. */
const notATimestamp = (value: unknown): Error => {
  if (typeof value === 'object') return serializationException(structureOrList(value as object));
  const sent = typeof value === 'boolean' ? 'java.lang.Boolean' : 'java.lang.String';
  return serializationException(`class ${sent} can not be converted to milliseconds since epoch`);
};

/** A list member given a scalar or an object. */
const notAList = (value: unknown): Error =>
  typeof value === 'object'
    ? serializationException('Start of structure or map found where not expected.')
    : serializationException('Unexpected field type');

/** A structure or map member given a scalar or a list. */
const notAStructure = (value: unknown): Error =>
  typeof value === 'object'
    ? serializationException('Start of list found where not expected')
    : serializationException('Unexpected field type');

/** An AttributeValue given a scalar or a list. */
const notAnAttributeValue = (value: unknown): Error =>
  typeof value === 'object'
    ? serializationException('Start of list found where not expected')
    : serializationException('Unexpected value type in payload');

/**
 * DynamoDB's limit on attribute nesting: 32 levels
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html, "Nested attribute
 * depth"). A top-level attribute value is level 1, so an item attribute may hold 31 nested `M` or `L` levels
 * around its innermost value (DynamoDB Local 3.x: 31 accepted, 32 refused, for both `M` and `L`).
 */
const MAX_ATTRIBUTE_DEPTH = 32;

/**
 * DynamoDB Local's words for an item nested too deep (PutItem `Item`, and `Put`/`PutRequest` items), and for
 * any other attribute value (an UpdateItem's ExpressionAttributeValues).
 */
const nestedTooDeep = (inItem: boolean): Error =>
  validationException(
    inItem
      ? 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit'
      : 'Nesting Levels have exceeded supported limits',
  );

export {
  MAX_ATTRIBUTE_DEPTH,
  nestedTooDeep,
  notABlob,
  notABoolean,
  notAList,
  notANumber,
  notAnAttributeValue,
  notAString,
  notAStructure,
  notATimestamp,
};
