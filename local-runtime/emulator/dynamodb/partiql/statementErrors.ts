import { AwsServiceError, validationException } from '../../errors.js';
import type { Span } from './ast.js';
import { lineColumn } from './tokenize.js';

/**
 * DynamoDB's answers to statements it cannot run, worded as DynamoDB (and DynamoDB Local, which shares its
 * PartiQL front end) words them.
 */

/** Anything the grammar does not accept: DynamoDB quotes the whole statement back. */
const malformedStatement = (text: string) =>
  validationException(`Statement wasn't well formed, can't be processed: ${text}`);

/** A message that names where in the statement the problem is: `… at line:column:length`. */
const atSpan = (message: string, text: string, span: Span) =>
  validationException(`${message} at ${lineColumn(text, span.start)}:${span.end - span.start}`);

/** An INSERT of an item whose key is taken (ExecuteStatement and BatchExecuteStatement). */
const duplicateItemException = () =>
  new AwsServiceError('DuplicateItemException', 'Duplicate primary key exists in table');

const DUPLICATE_ITEM_MESSAGE = 'Duplicate primary key exists in table';

const missingKeyEquality = () =>
  validationException('Where clause does not contain a mandatory equality on all key attributes');

const parameterCountMismatch = () =>
  validationException("Number of parameters in request and statement don't match.");

const keyTypeMismatch = (name: string) =>
  validationException(`Key attribute's data type should match its data type in table's schema: Key ${name}`);

export {
  atSpan,
  DUPLICATE_ITEM_MESSAGE,
  duplicateItemException,
  keyTypeMismatch,
  malformedStatement,
  missingKeyEquality,
  parameterCountMismatch,
};
