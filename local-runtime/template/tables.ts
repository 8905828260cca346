import { childLocation, isRecord } from './resolveIntrinsics.js';
import { definedEntries, numberAt, resolveOwn, type TemplateContext } from './TemplateContext.js';
import type { TableDefinition } from './types.js';

const ATTRIBUTE_TYPES: Readonly<Record<string, string>> = { String: 'S', Number: 'N', Binary: 'B' };

/** DynamoDB wants numbers in ProvisionedThroughput; a parameter or a quoted YAML value gives strings. */
const throughput = (template: TemplateContext, value: unknown, location: string): unknown => {
  if (!isRecord(value)) return value;
  const units = Object.entries(value).map(([key, units]) => [
    key,
    key.endsWith('CapacityUnits') ? numberAt(template, units, childLocation(location, key), key) : units,
  ]);
  return Object.fromEntries(units);
};

/** CloudFormation's SSESpecification says `SSEEnabled`; CreateTable says `Enabled`. */
const sseSpecification = (value: unknown): unknown => {
  if (!isRecord(value)) return value;
  const { SSEEnabled, ...rest } = value;
  return SSEEnabled === undefined ? rest : { Enabled: SSEEnabled, ...rest };
};

/** `AWS::DynamoDB::Table` → CreateTable input (+ TTL). Properties CreateTable has no field for are left out. */
const dynamoDBTable = (
  template: TemplateContext,
  logicalId: string,
  properties: Record<string, unknown>,
): TableDefinition => {
  const location = `Resources.${logicalId}.Properties`;
  const get = (key: string) => resolveOwn(template, properties, key, location);
  const input = new Map<string, unknown>();
  input.set('TableName', template.resolver.resolve({ Ref: logicalId }, childLocation(location, 'TableName')));
  const keySchema = get('KeySchema');
  if (keySchema === undefined) template.fail(childLocation(location, 'KeySchema'), 'KeySchema is required');
  input.set('KeySchema', keySchema);
  input.set('AttributeDefinitions', get('AttributeDefinitions'));
  const billingMode = get('BillingMode') ?? 'PROVISIONED';
  input.set('BillingMode', billingMode);
  const provisioned = get('ProvisionedThroughput');
  if (provisioned !== undefined) {
    input.set(
      'ProvisionedThroughput',
      throughput(template, provisioned, childLocation(location, 'ProvisionedThroughput')),
    );
  } else if (billingMode === 'PROVISIONED') {
    template.fail(
      childLocation(location, 'ProvisionedThroughput'),
      'ProvisionedThroughput is required when BillingMode is PROVISIONED (the default)',
    );
  }
  const gsis = get('GlobalSecondaryIndexes');
  if (Array.isArray(gsis)) {
    const gsiLocation = childLocation(location, 'GlobalSecondaryIndexes');
    input.set(
      'GlobalSecondaryIndexes',
      gsis.map((index: unknown, position) => {
        if (!isRecord(index)) return index;
        // ContributorInsightsSpecification is a CloudFormation-only member of an index.
        const { ContributorInsightsSpecification: _, ...rest } = index;
        const indexLocation = childLocation(gsiLocation, position);
        return rest.ProvisionedThroughput === undefined
          ? rest
          : {
              ...rest,
              ProvisionedThroughput: throughput(
                template,
                rest.ProvisionedThroughput,
                `${indexLocation}.ProvisionedThroughput`,
              ),
            };
      }),
    );
  } else if (gsis !== undefined) input.set('GlobalSecondaryIndexes', gsis);
  input.set('LocalSecondaryIndexes', get('LocalSecondaryIndexes'));
  const stream = get('StreamSpecification');
  if (stream !== undefined) {
    const viewType = isRecord(stream) ? stream.StreamViewType : undefined;
    if (viewType === undefined) {
      template.fail(
        childLocation(location, 'StreamSpecification.StreamViewType'),
        'StreamViewType is required',
      );
    }
    input.set('StreamSpecification', { StreamEnabled: true, StreamViewType: viewType });
  }
  const sse = get('SSESpecification');
  input.set('SSESpecification', sse === undefined ? undefined : sseSpecification(sse));
  for (const key of ['TableClass', 'DeletionProtectionEnabled', 'Tags']) input.set(key, get(key));
  const table: TableDefinition = { logicalId, createTableInput: definedEntries(input) };
  const ttl = get('TimeToLiveSpecification');
  if (ttl !== undefined) {
    const ttlLocation = childLocation(location, 'TimeToLiveSpecification');
    const attributeName = isRecord(ttl) ? ttl.AttributeName : undefined;
    const enabled = isRecord(ttl) ? ttl.Enabled : undefined;
    if (enabled !== true && enabled !== false && enabled !== 'true' && enabled !== 'false') {
      template.fail(childLocation(ttlLocation, 'Enabled'), 'Enabled must be true or false');
    }
    if (typeof attributeName === 'string' && attributeName !== '') {
      table.timeToLive = { AttributeName: attributeName, Enabled: enabled === true || enabled === 'true' };
    } else if (enabled === true || enabled === 'true') {
      template.fail(
        childLocation(ttlLocation, 'AttributeName'),
        'AttributeName is required when Enabled is true',
      );
    }
  }
  return table;
};

/** `AWS::Serverless::SimpleTable` → what SAM generates: a hash key, on-demand unless throughput is given, no stream. */
const simpleTable = (
  template: TemplateContext,
  logicalId: string,
  properties: Record<string, unknown>,
): TableDefinition => {
  const location = `Resources.${logicalId}.Properties`;
  const get = (key: string) => resolveOwn(template, properties, key, location);
  const primaryKey = get('PrimaryKey') ?? { Name: 'id', Type: 'String' };
  const keyLocation = childLocation(location, 'PrimaryKey');
  if (!isRecord(primaryKey)) template.fail(keyLocation, 'PrimaryKey must be a map with Name and Type');
  const { Name: name, Type: type } = primaryKey;
  if (typeof name !== 'string' || name === '') {
    template.fail(childLocation(keyLocation, 'Name'), 'Name is required');
  }
  const attributeType =
    typeof type === 'string' && Object.hasOwn(ATTRIBUTE_TYPES, type) ? ATTRIBUTE_TYPES[type] : undefined;
  if (attributeType === undefined) {
    template.fail(childLocation(keyLocation, 'Type'), 'Type must be String, Number or Binary');
  }
  const input = new Map<string, unknown>();
  input.set('TableName', template.resolver.resolve({ Ref: logicalId }, childLocation(location, 'TableName')));
  input.set('KeySchema', [{ AttributeName: name, KeyType: 'HASH' }]);
  input.set('AttributeDefinitions', [{ AttributeName: name, AttributeType: attributeType }]);
  const provisioned = get('ProvisionedThroughput');
  input.set('BillingMode', provisioned === undefined ? 'PAY_PER_REQUEST' : 'PROVISIONED');
  input.set(
    'ProvisionedThroughput',
    throughput(template, provisioned, childLocation(location, 'ProvisionedThroughput')),
  );
  const sse = get('SSESpecification');
  input.set('SSESpecification', sse === undefined ? undefined : sseSpecification(sse));
  // SimpleTable Tags are a map; CreateTable takes a list.
  const tags = get('Tags');
  if (isRecord(tags)) {
    input.set(
      'Tags',
      Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    );
  }
  return { logicalId, createTableInput: definedEntries(input) };
};

export { dynamoDBTable, simpleTable };
