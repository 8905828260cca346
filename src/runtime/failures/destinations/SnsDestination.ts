import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OnFailureDestination } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * An SNS topic as on-failure destination, as Lambda uses one: the failure record's JSON is the message.
 *
 * @example
 * const onFailure = new SnsDestination(new SNSClient({}), 'arn:aws:sns:us-east-1:123456789012:orders-failures');
 */
class SnsDestination implements OnFailureDestination {
  readonly destination: string;
  readonly #client: SNSClient;

  constructor(client: SNSClient, topicArn: string) {
    this.#client = client;
    this.destination = topicArn;
  }

  async send(record: OnFailureRecord): Promise<void> {
    await this.#client.send(
      new PublishCommand({ TopicArn: this.destination, Message: JSON.stringify(record) }),
    );
  }
}

export { SnsDestination };
