import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBEventDefinition, LocalTemplate } from '../template/types.js';
import { MissingStreamError } from './MissingStreamError.js';
import { resolveStreamArn } from './resolveStreamArn.js';

/**
 * Every mapping's stream in one region, checked before any mapping starts: a missing stream or table is an error
 * that names each mapping concerned, not a mapping that retries for ever in silence.
 */
const streamArnsOf = async (
  clients: { dynamodb: DynamoDBClient; streams: DynamoDBStreamsClient },
  template: LocalTemplate,
  where: { endpoint: string; region: string; local: boolean; suffix: string },
): Promise<Map<DynamoDBEventDefinition, string>> => {
  const streamArns = new Map<DynamoDBEventDefinition, string>();
  const missing: string[] = [];
  for (const fn of template.functions) {
    for (const event of fn.events) {
      const mappingId = `${fn.logicalId}-${event.name}${where.suffix}`;
      const found = await resolveStreamArn(clients, template, event, { ...where, mappingId });
      if ('problem' in found) missing.push(found.problem);
      else streamArns.set(event, found.streamArn);
    }
  }
  if (missing.length > 0) throw new MissingStreamError(missing);
  return streamArns;
};

export { streamArnsOf };
