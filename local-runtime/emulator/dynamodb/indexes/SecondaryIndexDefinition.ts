import type { KeySchema } from '../keySchema.js';

type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

/** An index's Projection, as the request gave it (NonKeyAttributes only with INCLUDE). */
interface IndexProjection {
  readonly ProjectionType: ProjectionType;
  readonly NonKeyAttributes?: readonly string[];
}

interface IndexThroughput {
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
}

/**
 * A local or global secondary index, checked: what CreateTable (or UpdateTable's Create action) asked for, in
 * the form the table and the reads need.
 */
interface SecondaryIndexDefinition {
  readonly name: string;
  /** Global indexes have their own partition key, their own throughput, and only eventually consistent reads. */
  readonly global: boolean;
  /** The index key, with the declared types of its attributes (AttributeDefinitions). */
  readonly keySchema: KeySchema;
  /** The request's KeySchema as given, for DescribeTable. */
  readonly wireKeySchema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  readonly projection: IndexProjection;
  /** Global indexes of PROVISIONED tables only. */
  readonly provisionedThroughput?: IndexThroughput;
}

export type { IndexProjection, IndexThroughput, ProjectionType, SecondaryIndexDefinition };
