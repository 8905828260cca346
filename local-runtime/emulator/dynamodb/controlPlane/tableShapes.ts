import { serializationException, validationException } from '../../errors.js';
import type { Constraints } from '../../validation/Constraints.js';

/**
 * The generic validator's checks on the members CreateTable and UpdateTable share, worded as DynamoDB words
 * them: `Value '<v>' at '<member>' failed to satisfy constraint: ...`. Numbers and lists are quoted, as
 * DynamoDB quotes every non-null value.
 */

const THROUGHPUT_LIMIT = 1_000_000_000_000;

/** StreamViewType's enum, in the order DynamoDB lists it. */
const STREAM_VIEW_TYPE_ENUM = ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE'] as const;
const TABLE_CLASSES = ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const;

/** A list as DynamoDB renders it in a constraint message. */
const describeList = (list: readonly unknown[]): string =>
  `[${list
    .map((item) =>
      item !== null && typeof item === 'object'
        ? `{${Object.entries(item)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(',')}}`
        : String(item),
    )
    .join(', ')}]`;

/** A member that must be a list: anything else is a SerializationException, as DynamoDB's parser answers. */
const listMember = (value: unknown): readonly unknown[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value;
  throw serializationException(
    typeof value === 'object'
      ? 'Start of structure or map found where not expected.'
      : 'Expected list or null',
  );
};

/** ProvisionedThroughput's constraints: both members, each at least 1 (write first, as DynamoDB reports). */
const checkThroughputShape = (constraints: Constraints, member: string, value: unknown): void => {
  if (value === undefined || value === null) return;
  const throughput = value as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown };
  for (const [name, units] of [
    ['writeCapacityUnits', throughput.WriteCapacityUnits],
    ['readCapacityUnits', throughput.ReadCapacityUnits],
  ] as const) {
    constraints.notNull(`${member}.${name}`, units);
    constraints.range(`${member}.${name}`, units, 1, Number.POSITIVE_INFINITY);
  }
};

/** Capacity above DynamoDB's hard bound: "Given value N for ReadCapacityUnits is out of bounds". */
const checkThroughputBounds = (value: unknown): void => {
  const throughput = value as { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  for (const name of ['ReadCapacityUnits', 'WriteCapacityUnits'] as const) {
    const units = throughput[name];
    if (units !== undefined && units > THROUGHPUT_LIMIT) {
      throw validationException(`Given value ${units} for ${name} is out of bounds`);
    }
  }
};

/** StreamSpecification's constraints: StreamEnabled required, StreamViewType one of the four. */
const checkStreamShape = (constraints: Constraints, value: unknown): void => {
  if (value === undefined || value === null) return;
  const spec = value as { StreamEnabled?: unknown; StreamViewType?: unknown };
  constraints.notNull('streamSpecification.streamEnabled', spec.StreamEnabled);
  constraints.oneOf(
    'streamSpecification.streamViewType',
    spec.StreamViewType ?? undefined,
    STREAM_VIEW_TYPE_ENUM,
  );
};

/** TableClass has no enum constraint: an unknown class gets a message of its own. */
const checkTableClass = (value: unknown): 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS' | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!TABLE_CLASSES.includes(value as (typeof TABLE_CLASSES)[number])) {
    throw validationException(
      'Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].',
    );
  }
  return value as (typeof TABLE_CLASSES)[number];
};

export {
  checkStreamShape,
  checkTableClass,
  checkThroughputBounds,
  checkThroughputShape,
  describeList,
  listMember,
  STREAM_VIEW_TYPE_ENUM,
};
