import type { DynamoDBRecord } from 'aws-lambda';
import { type BatchOutcome, interpretResponse } from './interpretResponse.js';

/**
 * A tumbling-window invocation's answer: the batch outcome, and the state to carry to the window's next
 * invocation (only when the invocation did not fail). A response without a state object is a failed
 * invocation (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html).
 *
 * @example
 * interpretWindowResponse({ state: { total: 3 } }, batch, false); // { outcome: { kind: 'success' }, state: { total: 3 } }
 */
const interpretWindowResponse = (
  response: unknown,
  records: readonly DynamoDBRecord[],
  reportBatchItemFailures: boolean,
): { readonly outcome: BatchOutcome; readonly state?: Record<string, unknown> } => {
  const state = (response as { state?: unknown } | null)?.state;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    return {
      outcome: { kind: 'failure', reason: 'the function response has no state object (tumbling window)' },
    };
  }
  const outcome = interpretResponse(response, records, reportBatchItemFailures);
  return outcome.kind === 'failure' ? { outcome } : { outcome, state: state as Record<string, unknown> };
};

export { interpretWindowResponse };
