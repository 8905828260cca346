import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OnFailureDestination } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * An SQS queue as on-failure destination, as Lambda uses one: the failure record's JSON is the message body
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). The queue is named by its ARN, as in
 * DestinationConfig; its URL is looked up once.
 *
 * @example
 * const onFailure = new SqsDestination(new SQSClient({}), 'arn:aws:sqs:us-east-1:123456789012:orders-dlq');
 */
class SqsDestination implements OnFailureDestination {
  readonly destination: string;
  readonly #client: SQSClient;
  #queueUrl: Promise<string> | undefined;

  constructor(client: SQSClient, queueArn: string) {
    this.#client = client;
    this.destination = queueArn;
  }

  async send(record: OnFailureRecord): Promise<void> {
    const QueueUrl = await this.#url();
    await this.#client.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
  }

  #url(): Promise<string> {
    if (this.#queueUrl === undefined) {
      const [, , , , account = '', name = ''] = this.destination.split(':');
      this.#queueUrl = this.#client
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then((r) => r.QueueUrl as string);
      // A failed lookup is retried on the next send, not cached.
      this.#queueUrl.catch(() => {
        this.#queueUrl = undefined;
      });
    }
    return this.#queueUrl;
  }
}

export { SqsDestination };
