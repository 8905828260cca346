import { describe, expect, it } from 'vitest';
import { checkDestinationConfig } from '../../../../local-runtime/template/checkDestinationConfig.js';
import { dynamoDBEvent } from '../../../../local-runtime/template/dynamoDBEvent.js';
import { templateContext } from './templateContext.js';

const RESOURCES = {
  Orders: {
    Type: 'AWS::DynamoDB::Table',
    Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } },
  },
};
const STREAM = { 'Fn::GetAtt': ['Orders', 'StreamArn'] };
const LOCATION = 'Resources.Fn.Properties.Events.S.Properties';

// SAM's DynamoDB event: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-dynamodb.html
describe('dynamoDBEvent', () => {
  it("reads a table's stream and the event's resolved properties", () => {
    const event = dynamoDBEvent(templateContext(RESOURCES), 'Fn', 'S', {
      Type: 'DynamoDB',
      Properties: { Stream: STREAM, StartingPosition: 'LATEST', BatchSize: { 'Fn::Sub': '10' } },
    });
    expect(event).toEqual({
      name: 'S',
      location: LOCATION,
      tableLogicalId: 'Orders',
      properties: { StartingPosition: 'LATEST', BatchSize: '10' },
    });
  });

  it("takes a stream ARN as it is, and reports the caller's check at the property", () => {
    const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000';
    const context = templateContext(RESOURCES, {
      checkEvent: (properties) =>
        properties.BatchSize === 0 ? [{ property: 'BatchSize', problem: 'must be 1 or more' }] : [],
    });
    const event = { Properties: { Stream: arn, StartingPosition: 'LATEST' } };
    expect(dynamoDBEvent(context, 'Fn', 'S', event).streamArn).toBe(arn);
    const zero = { Properties: { Stream: arn, StartingPosition: 'LATEST', BatchSize: 0 } };
    expect(() => dynamoDBEvent(context, 'Fn', 'S', zero)).toThrow(
      `template.yaml: ${LOCATION}.BatchSize: must be 1 or more`,
    );
  });

  it('requires Stream and StartingPosition, and refuses a property SAM does not have', () => {
    const context = templateContext(RESOURCES);
    expect(() => dynamoDBEvent(context, 'Fn', 'S', { Properties: { Stream: STREAM } })).toThrow(
      `${LOCATION}.StartingPosition: StartingPosition is required`,
    );
    expect(() =>
      dynamoDBEvent(context, 'Fn', 'S', {
        Properties: { Stream: STREAM, StartingPosition: 'LATEST', Batch: 1 },
      }),
    ).toThrow(`${LOCATION}.Batch: 'Batch' is not a property of a DynamoDB event`);
  });
});

describe('checkDestinationConfig', () => {
  it("says SAM's own messages for an OnFailure that is no map and a Type SAM does not know", () => {
    const context = templateContext();
    expect(() => checkDestinationConfig(context, { OnFailure: 'q' }, 'D')).toThrow(
      "D.OnFailure: Property 'DestinationConfig.OnFailure' should be a map.",
    );
    expect(() => checkDestinationConfig(context, { OnFailure: { Type: 'SQSS' } }, 'D')).toThrow(
      "D.OnFailure.Type: The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'",
    );
    expect(() =>
      checkDestinationConfig(context, { OnFailure: { Type: 'SQS', Destination: 'arn' } }, 'D'),
    ).not.toThrow();
    expect(() => checkDestinationConfig(context, undefined, 'D')).not.toThrow();
  });
});
