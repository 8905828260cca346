import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { OnFailureDestination } from './OnFailureDestination.js';
import { SnsDestination } from './SnsDestination.js';
import { SqsDestination } from './SqsDestination.js';

/**
 * The SQS and SNS clients `destinationFor` uses, e.g. pointed at a local endpoint; by default one per region.
 *
 * @example
 * const onFailure = destinationFor(queueArn, { sqs: new SQSClient({ endpoint, region: 'us-east-1' }) });
 */
interface DestinationClients {
  readonly sqs?: SQSClient;
  readonly sns?: SNSClient;
}

/**
 * The on-failure destination a DestinationConfig.OnFailure.Destination ARN names: an SQS queue or an SNS topic,
 * reached through the AWS SDK (clients from the default provider chain unless given). S3 and Kafka
 * destinations are not supported yet: an error says so.
 *
 * @example
 * const onFailure = destinationFor('arn:aws:sqs:us-east-1:123456789012:orders-dlq');
 * new EventSourceMapping({ ...options, onFailure });
 */
const destinationFor = (arn: string, clients: DestinationClients = {}): OnFailureDestination => {
  const [, , service = '', region = ''] = arn.split(':');
  if (service === 'sqs') return new SqsDestination(clients.sqs ?? new SQSClient({ region }), arn);
  if (service === 'sns') return new SnsDestination(clients.sns ?? new SNSClient({ region }), arn);
  throw new Error(
    `DestinationConfig.OnFailure.Destination: ${arn} is not an SQS queue or SNS topic ARN; those are the destinations supported for DynamoDB stream mappings here`,
  );
};

export type { DestinationClients };
export { destinationFor };
