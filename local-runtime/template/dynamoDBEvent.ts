import { checkDestinationConfig } from './checkDestinationConfig.js';
import { childLocation, isRecord, isStreamArnMarker } from './resolveIntrinsics.js';
import { definedEntries, own, type TemplateContext } from './TemplateContext.js';
import { TemplateError } from './TemplateError.js';
import { throwProblems } from './TemplateErrors.js';
import type { DynamoDBEventDefinition } from './types.js';

/** SAM's DynamoDBEventProperties (sam.schema.json). */
const DYNAMODB_EVENT_PROPERTIES = [
  'BatchSize',
  'BisectBatchOnFunctionError',
  'DestinationConfig',
  'Enabled',
  'FilterCriteria',
  'FunctionResponseTypes',
  'KmsKeyArn',
  'MaximumBatchingWindowInSeconds',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'MetricsConfig',
  'ParallelizationFactor',
  'StartingPosition',
  'StartingPositionTimestamp',
  'Stream',
  'TumblingWindowInSeconds',
];

const STREAM_ARN = /^arn:[\w-]+:dynamodb:[\w-]*:\d*:table\/[\w.-]+\/stream\/.+$/;

/** `Events.<name>` with `Type: DynamoDB` → its checked, resolved properties. */
const dynamoDBEvent = (
  template: TemplateContext,
  functionId: string,
  name: string,
  event: Record<string, unknown>,
): DynamoDBEventDefinition => {
  const location = `Resources.${functionId}.Properties.Events.${name}.Properties`;
  const raw = own(event, 'Properties') ?? {};
  if (!isRecord(raw)) template.fail(location, 'Properties must be a map');
  for (const key of Object.keys(raw)) {
    if (!DYNAMODB_EVENT_PROPERTIES.includes(key)) {
      template.fail(
        childLocation(location, key),
        `'${key}' is not a property of a DynamoDB event. Allowed: ${DYNAMODB_EVENT_PROPERTIES.join(', ')}`,
      );
    }
  }
  for (const required of ['Stream', 'StartingPosition']) {
    if (!Object.hasOwn(raw, required)) {
      template.fail(childLocation(location, required), `${required} is required`);
    }
  }
  checkDestinationConfig(
    template,
    own(raw, 'DestinationConfig'),
    childLocation(location, 'DestinationConfig'),
  );
  const streamLocation = childLocation(location, 'Stream');
  const stream = template.resolver.resolve(raw.Stream, streamLocation);
  const definition: DynamoDBEventDefinition = { name, location, tableLogicalId: '', properties: {} };
  if (isStreamArnMarker(stream)) definition.tableLogicalId = stream.streamOf;
  else if (typeof stream === 'string' && STREAM_ARN.test(stream)) definition.streamArn = stream;
  else {
    template.fail(
      streamLocation,
      `Stream must be the stream of a table in this template (!GetAtt <Table>.StreamArn) or a DynamoDB stream ARN, got ${JSON.stringify(stream)}`,
    );
  }
  const properties = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    if (key !== 'Stream') properties.set(key, template.resolver.resolve(value, childLocation(location, key)));
  }
  definition.properties = definedEntries(properties);
  const problems = (template.checkEvent?.(definition.properties) ?? []).map(
    ({ property, problem }) => new TemplateError(template.path, childLocation(location, property), problem),
  );
  throwProblems(problems);
  return definition;
};

export { DYNAMODB_EVENT_PROPERTIES, dynamoDBEvent };
