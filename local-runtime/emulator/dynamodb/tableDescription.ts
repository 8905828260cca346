import type { Region } from '../Region.js';
import type { Table } from './Table.js';

type TableStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING';

/** DescribeTable's `Table` (and CreateTable/DeleteTable's `TableDescription`), in DynamoDB's shape. */
const tableDescription = (
  table: Table,
  region: Region,
  status: TableStatus = 'ACTIVE',
): Record<string, unknown> => {
  const d = table.definition;
  const stream = region.latestStreams.get(table.name);
  const createdSeconds = d.createdAt / 1000;
  return {
    AttributeDefinitions: d.attributeDefinitions,
    TableName: d.name,
    KeySchema: d.wireKeySchema,
    TableStatus: status,
    CreationDateTime: createdSeconds,
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: d.provisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: d.provisionedThroughput?.WriteCapacityUnits ?? 0,
    },
    TableSizeBytes: table.sizeBytes,
    ItemCount: table.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    ...(d.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: createdSeconds,
          },
        }
      : {}),
    ...(stream === undefined
      ? {}
      : {
          StreamSpecification:
            stream.status === 'ENABLED'
              ? { StreamEnabled: true, StreamViewType: stream.viewType }
              : { StreamEnabled: false },
          LatestStreamLabel: stream.label,
          LatestStreamArn: stream.arn,
        }),
    DeletionProtectionEnabled: false,
  };
};

export type { TableStatus };
export { tableDescription };
