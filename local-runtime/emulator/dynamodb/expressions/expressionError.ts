/**
 * A problem with an expression's text, worded as DynamoDB words it but without the `Invalid <Kind>: ` prefix:
 * the parsers and checkers do not know which request member the text came from, so `compileExpressions`
 * adds the prefix when it turns this into a ValidationException.
 */
class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

export { ExpressionError };
