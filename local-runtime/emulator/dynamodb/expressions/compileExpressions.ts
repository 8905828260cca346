import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { serializationException, validationException } from '../../errors.js';
import { bindCondition } from './bindCondition.js';
import { bindKeyCondition, type ExpressionKeySchema } from './bindKeyCondition.js';
import { bindProjection } from './bindProjection.js';
import { bindUpdate } from './bindUpdate.js';
import { checkAttributeMaps } from './checkAttributeMaps.js';
import type { Condition, DocumentPath, KeyCondition, Projection, Update } from './compiled.js';
import { conditionPaths } from './conditionPaths.js';
import { ExpressionError } from './expressionError.js';
import { javaHashSetOrder } from './javaHashSetOrder.js';
import { Placeholders } from './Placeholders.js';
import { parsedCondition, parsedProjection, parsedUpdate } from './parsedExpressions.js';
import { utf8Length } from './sizeOf.js';

/** The expression members of a request, as they arrive on the wire. */
interface ExpressionRequest {
  readonly ConditionExpression?: string;
  readonly FilterExpression?: string;
  readonly KeyConditionExpression?: string;
  readonly UpdateExpression?: string;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: AttributeMap;
}

interface CompiledExpressions {
  readonly condition?: Condition;
  readonly filter?: Condition;
  readonly keyCondition?: KeyCondition;
  readonly update?: Update;
  readonly projection?: Projection;
}

interface CompileOptions {
  /**
   * The key of the table or index the request reads or writes. With it, the key condition is matched to the
   * key schema with DynamoDB's messages, paths into key attributes are refused, and (for a Query, i.e. when a
   * KeyConditionExpression is present) a FilterExpression may not name key attributes.
   */
  readonly keySchema?: ExpressionKeySchema;
}

type ExpressionMember =
  | 'UpdateExpression'
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'ProjectionExpression'
  | 'KeyConditionExpression';

/**
 * The order DynamoDB checks a request's expressions in, so that of two faulty expressions the one DynamoDB
 * would report is reported: UpdateItem checks its update before its condition, Query its filter and
 * projection before its key condition.
 */
const ORDER: readonly ExpressionMember[] = [
  'UpdateExpression',
  'ConditionExpression',
  'FilterExpression',
  'ProjectionExpression',
  'KeyConditionExpression',
];

const given = (value: unknown): boolean => value !== undefined && value !== null;

/** Expressions are at most 4 KB of UTF-8. */
const MAX_EXPRESSION_BYTES = 4096;

/**
 * Parses and checks every expression a request carries, with DynamoDB's ValidationException messages and in
 * DynamoDB's order: the placeholder maps themselves, values included; then each expression (empty, too long,
 * syntax, reserved words and functions, placeholders, operand types, overlapping paths); then placeholders no
 * expression used; last, with `options.keySchema`, the rules that need the key.
 *
 * A request without any expression gives `{}` without looking at the maps: whether maps are allowed without
 * expressions (and DynamoDB's wording of that, which names the operation's expressions) is the operation's
 * business.
 */
const compileExpressions = (
  request: ExpressionRequest,
  options: CompileOptions = {},
): CompiledExpressions => {
  // Most requests carry no expression at all: five plain reads decide that before any filtering.
  if (
    !given(request.UpdateExpression) &&
    !given(request.ConditionExpression) &&
    !given(request.FilterExpression) &&
    !given(request.ProjectionExpression) &&
    !given(request.KeyConditionExpression)
  )
    return {};
  const present = ORDER.filter((member) => given(request[member]));
  const values = checkAttributeMaps(request.ExpressionAttributeNames, request.ExpressionAttributeValues);
  const placeholders = new Placeholders(request.ExpressionAttributeNames, values);

  let update: Update | undefined;
  let condition: Condition | undefined;
  let filter: Condition | undefined;
  let projection: Projection | undefined;
  let keyConditionTree: Condition | undefined;
  for (const member of present) {
    const text = request[member];
    // The request's shape is validated by the operation; this only keeps a non-string from crashing here.
    if (typeof text !== 'string') throw serializationException();
    withPrefix(member, () => {
      checkText(text);
      switch (member) {
        case 'UpdateExpression': {
          update = bindUpdate(parsedUpdate(text), placeholders);
          return;
        }
        case 'ProjectionExpression': {
          projection = bindProjection(parsedProjection(text), placeholders);
          return;
        }
        default: {
          const bound = bindCondition(parsedCondition(text), placeholders);
          if (member === 'ConditionExpression') condition = bound;
          else if (member === 'FilterExpression') filter = bound;
          else keyConditionTree = bound;
        }
      }
    });
  }

  const unusedNames = placeholders.unusedNames();
  if (unusedNames.length > 0) {
    const keys = javaHashSetOrder(unusedNames, Object.keys(placeholders.names).length).join(', ');
    throw validationException(
      `Value provided in ExpressionAttributeNames unused in expressions: keys: {${keys}}`,
    );
  }
  const unusedValues = placeholders.unusedValues();
  if (unusedValues.length > 0) {
    const keys = javaHashSetOrder(unusedValues, Object.keys(placeholders.values).length).join(', ');
    throw validationException(
      `Value provided in ExpressionAttributeValues unused in expressions: keys: {${keys}}`,
    );
  }

  const { keySchema } = options;
  if (keySchema !== undefined) {
    const paths = [
      ...(condition === undefined ? [] : conditionPaths(condition)),
      ...(filter === undefined ? [] : conditionPaths(filter)),
      ...(projection?.paths ?? []),
    ];
    checkScalarKeyPaths(paths, keySchema);
  }
  const keyCondition =
    keyConditionTree === undefined ? undefined : bindKeyCondition(keyConditionTree, keySchema);
  if (keySchema !== undefined && keyCondition !== undefined && filter !== undefined) {
    for (const path of conditionPaths(filter)) {
      const name = path[0] as string;
      if (name === keySchema.hashKey || name === keySchema.rangeKey) {
        throw validationException(
          `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${name}`,
        );
      }
    }
  }

  return {
    ...(condition === undefined ? {} : { condition }),
    ...(filter === undefined ? {} : { filter }),
    ...(keyCondition === undefined ? {} : { keyCondition }),
    ...(update === undefined ? {} : { update }),
    ...(projection === undefined ? {} : { projection }),
  };
};

/** Runs one expression's checks, turning their problems into `Invalid <Member>: <problem>` ValidationExceptions. */
const withPrefix = (member: ExpressionMember, check: () => void): void => {
  try {
    check();
  } catch (error) {
    if (error instanceof ExpressionError) throw validationException(`Invalid ${member}: ${error.message}`);
    throw error;
  }
};

const checkText = (text: string): void => {
  if (text.trim() === '') throw new ExpressionError('The expression can not be empty;');
  const size = utf8Length(text);
  if (size > MAX_EXPRESSION_BYTES) {
    throw new ExpressionError(
      `Expression size has exceeded the maximum allowed size; expression size: ${size}`,
    );
  }
};

/** Key attributes are scalars, so no expression may look inside one with `.` or `[]`. */
const checkScalarKeyPaths = (paths: readonly DocumentPath[], keySchema: ExpressionKeySchema): void => {
  for (const path of paths) {
    const name = path[0] as string;
    if (path.length > 1 && (name === keySchema.hashKey || name === keySchema.rangeKey)) {
      throw validationException(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${name}`,
      );
    }
  }
};

export type { CompiledExpressions, CompileOptions, ExpressionRequest };
export { compileExpressions };
