import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { OnFailureDestination } from './OnFailureDestination.js';
import { S3Destination } from './S3Destination.js';
import { SnsDestination } from './SnsDestination.js';
import { SqsDestination } from './SqsDestination.js';

/**
 * The SQS, SNS and S3 clients `destinationFor` uses, e.g. pointed at a local endpoint; by default one per region
 * (for S3, the SDK's configured region, following the bucket's region when S3 redirects).
 *
 * @example
 * const onFailure = destinationFor(queueArn, { sqs: new SQSClient({ endpoint, region: 'us-east-1' }) });
 */
interface DestinationClients {
  readonly sqs?: SQSClient;
  readonly sns?: SNSClient;
  readonly s3?: S3Client;
}

/**
 * The on-failure destination a DestinationConfig.OnFailure.Destination ARN names: an SQS queue, an SNS topic or
 * an S3 bucket (`arn:aws:s3:::<bucket>`, see {@link S3Destination}), reached through the AWS SDK (clients from the
 * default provider chain unless given). Kafka destinations are not supported: an error says so.
 *
 * @example
 * const onFailure = destinationFor('arn:aws:sqs:us-east-1:123456789012:orders-dlq');
 * new EventSourceMapping({ ...options, onFailure });
 */
const destinationFor = (arn: string, clients: DestinationClients = {}): OnFailureDestination => {
  const [, , service = '', region = ''] = arn.split(':');
  if (service === 'sqs') return new SqsDestination(clients.sqs ?? new SQSClient({ region }), arn);
  if (service === 'sns') return new SnsDestination(clients.sns ?? new SNSClient({ region }), arn);
  // A bucket ARN has no region: the SDK's own, and S3's redirect to the bucket's region.
  if (service === 's3') {
    return new S3Destination(clients.s3 ?? new S3Client({ followRegionRedirects: true }), arn);
  }
  throw new Error(
    `DestinationConfig.OnFailure.Destination: ${arn} is not an SQS queue, SNS topic or S3 bucket ARN; those are the destinations supported for DynamoDB stream mappings here`,
  );
};

export type { DestinationClients };
export { destinationFor };
