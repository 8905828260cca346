import { validationException } from '../../errors.js';
import { checkExpressionParameters as checkReadParameters } from '../reads/expressionParameters.js';

type ExpressionMember = 'UpdateExpression' | 'ConditionExpression' | 'ProjectionExpression';
type LegacyMember = 'AttributeUpdates' | 'Expected' | 'ConditionalOperator' | 'AttributesToGet';

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * DynamoDB's rules on mixing the expression parameters of an item operation with the older, non-expression
 * ones, checked before either kind is read, with DynamoDB's messages: the rules reads follow (one kind or the
 * other; the placeholder maps only with expressions that use them), and ConditionalOperator, which joins two or
 * more Expected conditions and nothing else.
 *
 * `expressions` and `legacy` are the members the operation has, in the order DynamoDB names them.
 */
const checkExpressionParameters = (
  request: Readonly<Record<string, unknown>>,
  expressions: readonly ExpressionMember[],
  legacy: readonly LegacyMember[],
): void => {
  checkReadParameters(request, expressions, legacy);
  if (!legacy.includes('ConditionalOperator') || !present(request.ConditionalOperator)) return;
  const expected = request.Expected;
  if (!present(expected))
    throw validationException('ConditionalOperator cannot be used without Filter or Expected');
  if (typeof expected === 'object' && Object.keys(expected as object).length < 2) {
    throw validationException(
      'ConditionalOperator can only be used when Filter or Expected has two or more elements',
    );
  }
};

export type { ExpressionMember, LegacyMember };
export { checkExpressionParameters };
