import {
  type AttributeValue,
  type DynamoDBClient,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { namesIn, TABLE_KEY } from '../../../leaseTable/leaseItem.js';

type Item = Record<string, AttributeValue>;

interface ConditionalUpdate {
  readonly tableName: string;
  readonly key: string;
  readonly update: string;
  readonly condition: string;
  readonly values?: Item;
  /** Placeholders that do not stand for themselves, e.g. `#worker` → a worker id. */
  readonly aliases?: Record<string, string>;
  readonly returnValues?: UpdateItemCommandInput['ReturnValues'];
}

/**
 * One conditional UpdateItem. A failed condition is an expected answer in lease bookkeeping (someone else got
 * there first), so it comes back as `undefined` instead of an error; the item after the update otherwise
 * (empty unless `returnValues` is ALL_NEW).
 *
 * @example
 * const after = await conditionalUpdate(client, { tableName, key, update: 'SET #leaseExpiresAt = :at',
 *   condition: '#leaseToken = :token', values: { ':at': { N: '1' }, ':token': { S: token } } });
 * if (after === undefined) { // lost
 * }
 */
const conditionalUpdate = async (
  client: DynamoDBClient,
  request: ConditionalUpdate,
): Promise<Item | undefined> => {
  try {
    const { Attributes } = await client.send(
      new UpdateItemCommand({
        TableName: request.tableName,
        Key: { [TABLE_KEY]: { S: request.key } },
        UpdateExpression: request.update,
        ConditionExpression: request.condition,
        ExpressionAttributeNames: namesIn([request.update, request.condition], request.aliases),
        ...(request.values === undefined ? {} : { ExpressionAttributeValues: request.values }),
        ...(request.returnValues === undefined ? {} : { ReturnValues: request.returnValues }),
      }),
    );
    return Attributes ?? {};
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
};

export type { ConditionalUpdate };
export { conditionalUpdate };
