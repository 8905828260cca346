import type { AttributeValue } from '../../../../src/records/attributeValue.js';
import { serializationException } from '../../errors.js';
import { validateItem } from '../attributes/validateItem.js';
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
    parameters = raw.map((value) => validateItem({ value }, 'Parameters').value as AttributeValue);
  }
  if (parsed.parameterCount > parameters.length) throw parameterCountMismatch();
  return parameters;
};

export { statementParameters };
