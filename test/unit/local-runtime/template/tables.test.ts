import { describe, expect, it } from 'vitest';
import { dynamoDBTable, simpleTable } from '../../../../local-runtime/template/tables.js';
import { templateContext } from './templateContext.js';

const KEY = {
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
};

// CreateTable's input: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
describe('dynamoDBTable', () => {
  it('translates AWS::DynamoDB::Table to CreateTable input, its stream and TTL', () => {
    // The name is what `Ref` gives, read from the template's Resources.
    const context = templateContext({
      Orders: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
    });
    const table = dynamoDBTable(context, 'Orders', {
      ...KEY,
      TableName: 'orders',
      ProvisionedThroughput: { ReadCapacityUnits: '5', WriteCapacityUnits: 5 },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: 'true' },
    });
    expect(table).toEqual({
      logicalId: 'Orders',
      createTableInput: {
        TableName: 'orders',
        ...KEY,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        SSESpecification: { Enabled: true },
      },
      timeToLive: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('requires throughput in PROVISIONED mode (the default), at its location', () => {
    const context = templateContext({ Orders: { Type: 'AWS::DynamoDB::Table' } });
    expect(() => dynamoDBTable(context, 'Orders', KEY)).toThrow(
      'template.yaml: Resources.Orders.Properties.ProvisionedThroughput: ProvisionedThroughput is required when BillingMode is PROVISIONED (the default)',
    );
  });
});

// What SAM generates for a SimpleTable:
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-simpletable.html
describe('simpleTable', () => {
  it('makes an on-demand table keyed by id, with its Tags as a list', () => {
    const context = templateContext({ Notes: { Type: 'AWS::Serverless::SimpleTable' } });
    expect(simpleTable(context, 'Notes', { Tags: { team: 'a' } }).createTableInput).toEqual({
      TableName: 'eddy-Notes',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      Tags: [{ Key: 'team', Value: 'a' }],
    });
  });

  it('refuses a PrimaryKey type DynamoDB keys cannot have', () => {
    const context = templateContext({ Notes: { Type: 'AWS::Serverless::SimpleTable' } });
    expect(() => simpleTable(context, 'Notes', { PrimaryKey: { Name: 'id', Type: 'Boolean' } })).toThrow(
      'template.yaml: Resources.Notes.Properties.PrimaryKey.Type: Type must be String, Number or Binary',
    );
  });
});
