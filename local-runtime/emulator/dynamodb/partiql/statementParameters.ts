import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { serializationException } from '../../errors.js';
import { validateValue } from '../attributes/validateItem.js';
import type { ParsedStatement } from './ast.js';
import { parameterCountMismatch } from './statementErrors.js';

/**
 * A statement's Parameters, each checked as an attribute value (with DynamoDB's messages for a malformed
 * one) and numbers made canonical. The statement must not hold more `?` than there are parameters; DynamoDB
 * (as DynamoDB Local shows) does not mind parameters left over.
 */
const statementParameters = (raw: unknown, parsed: ParsedStatement): AttributeValue[] => {
  let parameters: AttributeValue[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw))
      throw serializationException('Unexpected value type in Parameters: expected a list');
    // Each one checked as a value of an item is (validateItem's checks of a one-attribute map, without the map).
    parameters = raw.map(validateValue);
  }
  if (parsed.parameterCount > parameters.length) throw parameterCountMismatch();
  return parameters;
};

export { statementParameters };
