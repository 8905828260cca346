import type { DynamoDBRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '../../records/sequenceNumber.js';

/**
 * What a function's answer means for the batch it was given.
 *
 * @example
 * const outcome: BatchOutcome = interpretResponse(response, batch, true);
 * if (outcome.kind === 'partial') console.log(`resume at record ${outcome.index}`);
 */
type BatchOutcome =
  | { readonly kind: 'success' }
  /** Records before `index` succeeded; the batch resumes at `index`. */
  | { readonly kind: 'partial'; readonly index: number; readonly failures: readonly string[] }
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Reads a function's response the way Lambda does
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html). Without
 * ReportBatchItemFailures any
 * response is success. With it: no failures (missing, null, empty, `{}`, `[]`) is success; failures resume at
 * the lowest sequence number reported; an identifier that is empty, null, missing or not in the batch fails the
 * whole batch.
 *
 * @example
 * interpretResponse({ batchItemFailures: [{ itemIdentifier: '200' }] }, batch, true);
 * // { kind: 'partial', index: 1, failures: ['200'] } for a batch with sequence numbers 100, 200, 300
 */
const interpretResponse = (
  response: unknown,
  batch: readonly DynamoDBRecord[],
  reportBatchItemFailures: boolean,
): BatchOutcome => {
  if (!reportBatchItemFailures || response === null || response === undefined || Array.isArray(response)) {
    return { kind: 'success' };
  }
  if (typeof response !== 'object') return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'success' };
  const identifiers: string[] = [];
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: `invalid batch item failure ${JSON.stringify(failure)}` };
    }
    identifiers.push(id);
  }
  const index = batch.findIndex((r) => identifiers.includes(r.dynamodb?.SequenceNumber ?? ''));
  const known = new Set(batch.map((r) => r.dynamodb?.SequenceNumber));
  const unknown = identifiers.find((id) => !known.has(id));
  if (unknown !== undefined)
    return { kind: 'failure', reason: `itemIdentifier ${unknown} is not in the batch` };
  // Records are in sequence order, so the first reported record in the batch carries the lowest number.
  const sorted = [...identifiers].sort(compareSequenceNumbers);
  return { kind: 'partial', index, failures: sorted };
};

export type { BatchOutcome };
export { interpretResponse };
