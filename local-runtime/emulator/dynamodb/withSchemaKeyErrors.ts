import { AwsServiceError, validationException } from '../errors.js';

const KEY_FAULT = /^One or more parameter values were invalid: (Missing the key|Type mismatch for key) /;

/**
 * Runs `prepare` and answers any fault of an item's key as BatchWriteItem and TransactWriteItems do: with the
 * one message GetItem gives for a bad Key, where PutItem names the missing or mistyped key attribute.
 */
const withSchemaKeyErrors = <T>(prepare: () => T): T => {
  try {
    return prepare();
  } catch (error) {
    if (error instanceof AwsServiceError && KEY_FAULT.test(error.message)) {
      throw validationException('The provided key element does not match the schema');
    }
    throw error;
  }
};

export { withSchemaKeyErrors };
