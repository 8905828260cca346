import { AwsServiceError, validationException } from '../../errors.js';

const EXPRESSION_PREFIX =
  /^Invalid (?:UpdateExpression|ConditionExpression|FilterExpression|KeyConditionExpression|ProjectionExpression): /;

/**
 * Runs the expression engine on a statement's translation, answering as DynamoDB answers a statement: its
 * PartiQL front end reports the engine's findings without the `Invalid ConditionExpression: ` prefix that
 * UpdateItem or Query put before them (the statement has no such member).
 */
const withStatementMessages = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (
      error instanceof AwsServiceError &&
      error.name === 'ValidationException' &&
      EXPRESSION_PREFIX.test(error.message)
    ) {
      throw validationException(error.message.replace(EXPRESSION_PREFIX, ''));
    }
    throw error;
  }
};

export { withStatementMessages };
