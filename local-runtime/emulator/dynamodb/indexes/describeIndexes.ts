import type { Table } from '../Table.js';
import type { SecondaryIndex } from './SecondaryIndex.js';

/** PAY_PER_REQUEST indexes report DynamoDB's initial on-demand warm throughput. */
const ON_DEMAND_WARM_THROUGHPUT = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000 };

interface DescribeIndexesOptions {
  /** CreateTable's response shows the global indexes CREATING and without WarmThroughput, as AWS's does. */
  readonly view?: 'describe' | 'create' | 'update' | 'delete';
  /** The table's billing mode now (it changes with UpdateTable). @default the table's definition's */
  readonly billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
}

/**
 * The `LocalSecondaryIndexes` and `GlobalSecondaryIndexes` of a table description (DescribeTable's `Table`,
 * CreateTable's and UpdateTable's `TableDescription`), in DynamoDB's shape: each list only when the table has
 * such indexes, NonKeyAttributes sorted by name as DynamoDB returns them, global indexes of PAY_PER_REQUEST
 * tables with 0/0 throughput and on-demand's warm throughput.
 */
const describeIndexes = (
  table: Table,
  options: DescribeIndexesOptions = {},
): { LocalSecondaryIndexes?: unknown[]; GlobalSecondaryIndexes?: unknown[] } => {
  const locals: unknown[] = [];
  const globals: unknown[] = [];
  const creating = options.view === 'create';
  const onDemand = (options.billingMode ?? table.definition.billingMode) === 'PAY_PER_REQUEST';
  for (const index of table.indexes.values()) {
    const common = {
      IndexName: index.name,
      KeySchema: index.definition.wireKeySchema,
      Projection: describeProjection(index),
      IndexSizeBytes: index.sizeBytes,
      ItemCount: index.itemCount,
      IndexArn: index.arn,
    };
    if (!index.global) {
      locals.push(common);
      continue;
    }
    const throughput = index.provisionedThroughput;
    globals.push({
      ...common,
      IndexStatus: creating ? 'CREATING' : index.status,
      ProvisionedThroughput: {
        NumberOfDecreasesToday: 0,
        ReadCapacityUnits: onDemand ? 0 : (throughput?.ReadCapacityUnits ?? 0),
        WriteCapacityUnits: onDemand ? 0 : (throughput?.WriteCapacityUnits ?? 0),
      },
      ...(creating
        ? {}
        : {
            WarmThroughput: {
              ...(onDemand
                ? ON_DEMAND_WARM_THROUGHPUT
                : {
                    ReadUnitsPerSecond: throughput?.ReadCapacityUnits ?? 0,
                    WriteUnitsPerSecond: throughput?.WriteCapacityUnits ?? 0,
                  }),
              Status: index.status === 'ACTIVE' ? 'ACTIVE' : 'UPDATING',
            },
          }),
    });
  }
  return {
    ...(locals.length === 0 ? {} : { LocalSecondaryIndexes: locals }),
    ...(globals.length === 0 ? {} : { GlobalSecondaryIndexes: globals }),
  };
};

const describeProjection = (index: SecondaryIndex) => {
  const { ProjectionType, NonKeyAttributes } = index.definition.projection;
  return NonKeyAttributes === undefined
    ? { ProjectionType }
    : { ProjectionType, NonKeyAttributes: [...NonKeyAttributes].sort() };
};

export type { DescribeIndexesOptions };
export { describeIndexes };
