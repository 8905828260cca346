import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { applyProjection } from '../../local-runtime/emulator/dynamodb/expressions/applyProjection.js';
import { compileExpressions } from '../../local-runtime/emulator/dynamodb/expressions/index.js';
import type { AttributeMap } from '../../src/records/attributeValue.js';
import {
  byRank,
  canonicalDecimal,
  compareBigInts,
  forOperation,
  mapAttributeValues,
  perItemOrder,
  stableJson,
} from './normalisers.js';
import { DROP, isPlainObject, rewriteMembers } from './rewriteMembers.js';
import type { Outcome, StreamReading } from './runScenario.js';
import type { Step } from './Scenario.js';

/**
 * Every difference between DynamoDB Local and Eddy's emulator that the differential suite lets pass, each with
 * its reason. Nothing else is normalised: any other difference fails the scenario (or is a known bug, marked
 * on the scenario). Most entries are DynamoDB Local's documented deviations from DynamoDB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html); the
 * rest are opaque values whose format is not part of DynamoDB's contract, or DynamoDB Local quirks that the
 * AWS recordings in test/fixtures/aws-recordings contradict. No rule writes an answer of its own into DynamoDB
 * Local's: where it is known to differ from DynamoDB, each side's value becomes the same token only if it is
 * that side's known answer (DynamoDB Local's quirk, DynamoDB's answer from Eddy), and opaque values are held to
 * their relations ('stream relations').
 */

interface NormaliseContext {
  /** The region the clients sign with. */
  readonly region: string;
  /** The scenario's steps, one per outcome, for rules that depend on the request. */
  readonly steps: readonly Step[];
  /** Whose outcomes are being normalised. */
  readonly side: 'dynamodb-local' | 'eddy';
}

interface AllowedDeviation {
  readonly name: string;
  readonly reason: string;
  /** Whose outcomes the rule rewrites: only DynamoDB Local's, or both (for values that are opaque anyway). */
  readonly side: 'dynamodb-local' | 'both';
  readonly normalise: (outcomes: readonly Outcome[], context: NormaliseContext) => Outcome[];
}

const STREAM_ARN = /^(arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\/)(.+)$/;
const RECORD_SEQUENCE = new Set(['SequenceNumber']);
const SEQUENCE_RANGE_MEMBERS = new Set(['StartingSequenceNumber', 'EndingSequenceNumber']);
const SHARD_MEMBERS = new Set(['ShardId', 'ParentShardId']);
const SET_TYPES = new Set(['SS', 'NS', 'BS']);

/**
 * Error messages DynamoDB Local words differently from DynamoDB. Each entry pairs DynamoDB Local's message with
 * DynamoDB's (as recorded by the sources named): DynamoDB Local's becomes a token, and so does Eddy's only if
 * it is DynamoDB's, so Eddy is still held to DynamoDB's wording. Anything not listed must match exactly.
 */
interface MessageDeviation {
  readonly name: string;
  readonly dynamoDbLocal: RegExp;
  readonly dynamoDb: RegExp;
  /** Where DynamoDB's wording comes from. */
  readonly source: string;
  /** Only for these operations; every operation when absent. */
  readonly operations?: readonly string[];
  /** Only for requests this holds for. */
  readonly when?: (input: Record<string, unknown>) => boolean;
}

// dynalite's validations were written against (and its tests recorded from) DynamoDB; the integration tests
// named in a `source` pin the live DynamoDB answer the emulator gives.
const DYNALITE = 'dynalite 4.0.0 (node_modules/dynalite), whose messages were recorded from DynamoDB';

const MESSAGE_DEVIATIONS: readonly MessageDeviation[] = [
  {
    name: 'item operation on a missing table',
    dynamoDbLocal: /^Cannot do operations on a non-existent table$/,
    dynamoDb: /^Requested resource not found$/,
    source: `test_dynamodb.snapshot.json (AWS recording); ${DYNALITE}, db/index.js`,
    operations: [
      'PutItem',
      'GetItem',
      'UpdateItem',
      'DeleteItem',
      'Query',
      'Scan',
      'BatchWriteItem',
      'BatchGetItem',
      'TransactWriteItems',
      'TransactGetItems',
    ],
  },
  {
    name: 'DescribeTable of a missing table',
    dynamoDbLocal: /^Cannot do operations on a non-existent table$/,
    dynamoDb: /^Requested resource not found: Table: [\w.-]+ not found$/,
    source:
      'test_dynamodb.snapshot.json (AWS recording: "Requested resource not found: Table: bad-table not found")',
    operations: ['DescribeTable', 'DeleteTable'],
  },
  {
    name: 'item without a key attribute',
    dynamoDbLocal: /^One of the required keys was not given a value$/,
    dynamoDb: /^One or more parameter values were invalid: Missing the key [\w.-]+ in the item$/,
    source: `${DYNALITE}, db/index.js validateKey`,
    operations: ['PutItem'],
  },
  {
    name: 'item key attribute of the wrong type',
    dynamoDbLocal: /^One or more parameter values were invalid: Type mismatch for key$/,
    dynamoDb:
      /^One or more parameter values were invalid: Type mismatch for key [\w.-]+ expected: [SNB] actual: [A-Z]+$/,
    source: `${DYNALITE}, db/index.js validateKey`,
    operations: ['PutItem'],
  },
  {
    name: 'Key that does not match the key schema',
    dynamoDbLocal:
      /^(The number of conditions on the keys is invalid|One or more parameter values were invalid: Type mismatch for key)$/,
    dynamoDb: /^The provided key element does not match the schema$/,
    source: `${DYNALITE}, db/index.js validateKey (a Key with missing, extra or mistyped attributes)`,
    operations: ['GetItem', 'UpdateItem', 'DeleteItem'],
  },
  {
    name: 'batch request without the key attributes',
    dynamoDbLocal: /^One of the required keys was not given a value$/,
    dynamoDb: /^The provided key element does not match the schema$/,
    source: `${DYNALITE}, actions/batchWriteItem.js (rewrites the PutItem key messages to this) and db/index.js`,
    operations: ['BatchWriteItem', 'BatchGetItem'],
  },
  {
    name: 'BatchGetItem of more than 100 keys',
    dynamoDbLocal: /^Too many items requested for the BatchGetItem call$/,
    dynamoDb:
      /^(Too many items requested for the BatchGetItem call|1 validation error detected: Value at 'RequestItems\.[\w.-]+\.member\.Keys' failed to satisfy constraint: Member must have length less than or equal to 100)$/,
    source:
      `${DYNALITE}, validations/batchGetItem.js (the older answer); ` +
      'test/integration/emulator/batch.test.ts (the current one)',
    operations: ['BatchGetItem'],
  },
  {
    name: 'Query without the partition key',
    dynamoDbLocal: /^Query condition missed key schema element$/,
    dynamoDb: /^Query condition missed key schema element: [\w.-]+$/,
    source: 'AWS CLI output quoted in public write-ups ("Query condition missed key schema element: id")',
    operations: ['Query'],
  },
  {
    name: 'Limit below 1',
    dynamoDbLocal: /^Limit must be greater than or equal to 1$/,
    dynamoDb:
      /^1 validation error detected: Value '-?\d+' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1$/,
    source: `${DYNALITE}, validations/query.js and scan.js (Limit: greaterThanOrEqual 1, in the validation envelope)`,
    operations: ['Query', 'Scan'],
  },
  {
    name: 'Segment without TotalSegments',
    dynamoDbLocal: /^If segment is specified, total segment must also be specified$/,
    dynamoDb:
      /^The TotalSegments parameter is required but was not present in the request when Segment parameter is present$/,
    source: `${DYNALITE}, validations/scan.js`,
    operations: ['Scan'],
  },
  {
    name: 'BatchWriteItem list of a table empty or over 25',
    dynamoDbLocal:
      /^(Too many items requested for the BatchWriteItem call|The batch write request list for a table cannot be null or empty: [\w.-]+)$/,
    dynamoDb:
      /^1 validation error detected: Value '.*' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    source: `${DYNALITE}, validations/batchWriteItem.js and validations/index.js (Map value constraint)`,
    operations: ['BatchWriteItem'],
  },
  {
    name: 'BatchWriteItem without requests',
    dynamoDbLocal: /^BatchWriteItem cannot have a null or no requests set$/,
    dynamoDb:
      /^1 validation error detected: Value '\{\}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    source: `${DYNALITE}, validations/batchWriteItem.js`,
    operations: ['BatchWriteItem'],
  },
  {
    name: 'TransactWriteItems without items',
    dynamoDbLocal:
      /^Value \[\] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    dynamoDb:
      /^1 validation error detected: Value '\[\]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    source:
      'the validation envelope DynamoDB puts around every member constraint ("1 validation error detected: Value ' +
      `'…' at '…'"; ${DYNALITE}, validations/index.js); DynamoDB Local leaves out the envelope and the quotes`,
    operations: ['TransactWriteItems', 'TransactGetItems'],
  },
  {
    name: 'ReturnValues outside its enum',
    dynamoDbLocal: /^Return values set to invalid value$/,
    dynamoDb:
      /^1 validation error detected: Value '[^']*' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: \[(ALL_NEW|UPDATED_OLD|ALL_OLD|NONE|UPDATED_NEW)(, (ALL_NEW|UPDATED_OLD|ALL_OLD|NONE|UPDATED_NEW)){4}\]$/,
    source: `${DYNALITE}, validations/putItem.js (enum [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW])`,
    // A value of the enum that this operation does not take gets these same words from DynamoDB too, and is
    // compared as it is.
    when: (input) =>
      !['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'].includes(String(input.ReturnValues)),
  },
  {
    name: 'CreateTable whose first key is not HASH',
    dynamoDbLocal:
      /^No Hash Key specified in schema\. {2}All Dynamo DB tables must have exactly one hash key$/,
    dynamoDb: /^Invalid KeySchema: The first KeySchemaElement is not a HASH key type$/,
    source: `${DYNALITE}, validations/createTable.js`,
    operations: ['CreateTable'],
  },
  {
    name: 'CreateTable of an existing table',
    dynamoDbLocal: /^Cannot create preexisting table$/,
    dynamoDb: /^Table already exists: [\w.-]+$/,
    source: 'AWS answers quoted in github.com/joshsymonds/Dynamoid/issues/178 ("Table already exists: ")',
    operations: ['CreateTable'],
  },
  {
    name: 'invalid table name',
    dynamoDbLocal:
      /^Invalid table\/index name\. {2}Table\/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '\.'$/,
    dynamoDb:
      /^1 validation error detected: Value '[^']*' at 'tableName' failed to satisfy constraint: Member must (have length greater than or equal to 3|have length less than or equal to 255|satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+)$/,
    source: `${DYNALITE}, validations/createTable.js; test/integration/emulator/controlPlane.test.ts`,
  },
  {
    name: 'key attribute without a definition',
    dynamoDbLocal: /^(Hash|Range) Key not specified in Attribute Definitions\. {2}Type unknown\.$/,
    dynamoDb:
      /^One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions\. Keys: \[.*\], AttributeDefinitions: \[.*\]$/,
    source: `${DYNALITE}, validations/createTable.js`,
    operations: ['CreateTable'],
  },
  {
    name: 'attribute definitions that are not keys',
    dynamoDbLocal:
      /^The number of attributes in key schema must match the number of attributes defined in attribute definitions\.$/,
    dynamoDb:
      /^One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions$/,
    source: `${DYNALITE}, validations/createTable.js`,
    operations: ['CreateTable'],
  },
  {
    name: 'PROVISIONED table without ProvisionedThroughput',
    dynamoDbLocal: /^No provisioned throughput specified for the table$/,
    dynamoDb:
      /^One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED$/,
    source: `${DYNALITE}, validations/createTable.js`,
    operations: ['CreateTable'],
  },
  {
    name: 'key value over its size limit',
    dynamoDbLocal:
      /^Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes$/,
    dynamoDb:
      /^One or more parameter values were invalid: (Size of hashkey has exceeded the maximum size limit of2048 bytes|Aggregated size of all range keys has exceeded the size limit of 1024 bytes)$/,
    source: `${DYNALITE}, db/index.js checkKeySize`,
    // A Query's key condition gets DynamoDB's own words from DynamoDB Local, compared as they are.
    operations: [
      'PutItem',
      'GetItem',
      'UpdateItem',
      'DeleteItem',
      'BatchWriteItem',
      'BatchGetItem',
      'TransactWriteItems',
      'TransactGetItems',
    ],
  },
  {
    name: 'index key value over its size limit',
    dynamoDbLocal: /^One or more parameter values were invalid: Size limit exceeded$/,
    dynamoDb:
      /^One or more parameter values were invalid: Size limit exceeded for Index Key [\w.-]+ Actual Size: \d+ bytes Max Size: (2048|1024) bytes IndexName: [\w.-]+$/,
    source:
      'DynamoDB answers quoted in github.com/architect/dynalite/issues/35 (by its author) and ' +
      'github.com/wellcomecollection/platform/issues/2285 (an AmazonDynamoDBException with its request id): ' +
      '"…Size limit exceeded for Index Key componentId Actual Size: 2175 bytes Max Size: 2048 bytes IndexName: …"',
    operations: ['PutItem', 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems'],
  },
  {
    name: 'duplicate string set members',
    dynamoDbLocal: /^One or more parameter values were invalid: Input collection \[.*\] contains duplicates$/,
    dynamoDb: /^One or more parameter values were invalid: Input collection \[.*\] contains duplicates\.$/,
    source: `${DYNALITE}, validations/index.js; test/integration/emulator/items.test.ts`,
  },
  {
    name: 'duplicate binary set members',
    dynamoDbLocal:
      /^One or more parameter values were invalid: Input collection of type BS contains duplicates\.$/,
    dynamoDb:
      /^One or more parameter values were invalid: Input collection \[.*\]of type BS contains duplicates\.$/,
    source:
      `${DYNALITE}, validations/index.js; test/integration/emulator/items.test.ts (the members ` +
      'as sent, as BatchWriteItem, the transactions and Scan answer)',
  },
  {
    name: 'inexact update arithmetic',
    dynamoDbLocal: /^DynamoDB only supports precision up to 38 digits$/,
    dynamoDb: /^Number overflow\. Attempting to store a number with magnitude larger than supported range$/,
    source:
      'test/integration/emulator/valueEncodings.test.ts (DynamoDB: `1e50 - 1` in an UpdateExpression answers ' +
      '"Number overflow")',
    operations: ['UpdateItem'],
    when: (input) => input.UpdateExpression !== undefined || input.AttributeUpdates !== undefined,
  },
  {
    name: 'more than 38 digits',
    dynamoDbLocal: /^DynamoDB only supports precision up to 38 digits$/,
    dynamoDb: /^Attempting to store more than 38 significant digits in a Number$/,
    source: `${DYNALITE}, validations/index.js; test/integration/emulator/valueEncodings.test.ts`,
  },
];

const messageToken = (deviation: MessageDeviation) => `<DynamoDB's message: ${deviation.name}>`;

/** What DynamoDB Local says, as a TransactGetItems' message, of a Get whose key does not match the key schema. */
const DYNAMODB_LOCAL_KEY_MESSAGES =
  /^(The number of conditions on the keys is invalid|One of the required keys was not given a value|One or more parameter values were invalid: Type mismatch for key)$/;

/** What DynamoDB reports for an on-demand table's global index throughput, and its warm throughput. */
const ON_DEMAND_INDEX_THROUGHPUT = { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
const ON_DEMAND_WARM = { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' };

const ON_DEMAND_WITH_THROUGHPUT =
  'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST';

/** A step left out of the comparison: the same token on both sides, in place of each side's answer. */
const notCompared = (outcome: Outcome, name: string): Outcome => ({
  step: outcome.step,
  response: `<not compared: ${name}>`,
});

/** Whether `key` has exactly the key attributes, with their types, that the scenario's CreateTable gave `table`. */
const keyMatchesSchema = (steps: readonly Step[], table: string, key: object): boolean => {
  const create = steps.find((step) => step.op === 'CreateTable' && step.input.TableName === table);
  if (create === undefined || !('input' in create)) return false;
  const schema = create.input.KeySchema as { AttributeName: string }[];
  const definitions = create.input.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
  const attributes = key as Record<string, object>;
  return (
    Object.keys(attributes).length === schema.length &&
    schema.every(({ AttributeName }) => {
      const value = attributes[AttributeName];
      const type = definitions.find(
        (definition) => definition.AttributeName === AttributeName,
      )?.AttributeType;
      return value !== undefined && type !== undefined && Object.keys(value)[0] === type;
    })
  );
};

// Applied in this order: DynamoDB Local's own quirks first, while they still see raw values (Dates, labels).
const ALLOWED_DEVIATIONS: readonly AllowedDeviation[] = [
  {
    name: 'region ddblocal',
    reason:
      'DynamoDB Local puts the region `ddblocal` in every ARN and stream record `awsRegion`, whatever region the ' +
      "client signs with; DynamoDB (and Eddy) use the signing region. DynamoDB Local's ddblocal and Eddy's " +
      'signing region become one token; any other region stays, so the scenario fails.',
    side: 'both',
    normalise: (outcomes, { region, side }) => {
      const expected = side === 'dynamodb-local' ? 'ddblocal' : region;
      return rewriteMembers(outcomes as Outcome[], (key, value) => {
        if (key === 'awsRegion' && value === expected) return '<region>';
        if (typeof value === 'string' && value.startsWith(`arn:aws:dynamodb:${expected}:`))
          return value.replace(`:${expected}:`, ':<region>:');
        return value;
      });
    },
  },
  {
    name: 'CreateTable status',
    reason:
      'DynamoDB Local creates a table and its indexes synchronously and answers CreateTable with TableStatus ' +
      '(and IndexStatus) ACTIVE; DynamoDB answers CREATING (recorded in test_dynamodb.snapshot.json). The ' +
      "status is not compared: DynamoDB Local's ACTIVE and Eddy's CREATING become one token; any other status " +
      'stays, so the scenario fails.',
    side: 'both',
    normalise: (outcomes, { steps, side }) =>
      forOperation(outcomes, steps, 'CreateTable', (outcome) =>
        rewriteMembers(outcome, (key, value) =>
          (key === 'TableStatus' || key === 'IndexStatus') &&
          value === (side === 'dynamodb-local' ? 'ACTIVE' : 'CREATING')
            ? '<CreateTable status>'
            : value,
        ),
      ),
  },
  {
    name: 'on-demand global secondary index throughput',
    reason:
      'DynamoDB Local leaves ProvisionedThroughput out of the global secondary indexes of an on-demand table; ' +
      'DynamoDB reports it as zeros (test_dynamodb.snapshot.json, test_gsi_with_billing_mode[PAY_PER_REQUEST]). ' +
      "It is not compared: DynamoDB Local's missing member and Eddy's zeros become one token; other throughput " +
      'stays as it was.',
    side: 'both',
    normalise: (outcomes, { side }) =>
      rewriteMembers(outcomes as Outcome[], (key, value) =>
        key === 'GlobalSecondaryIndexes' && Array.isArray(value)
          ? value.map((index: Record<string, unknown>) =>
              (
                side === 'dynamodb-local'
                  ? index.ProvisionedThroughput === undefined
                  : stableJson(index.ProvisionedThroughput) === stableJson(ON_DEMAND_INDEX_THROUGHPUT)
              )
                ? { ...index, ProvisionedThroughput: '<on-demand index throughput>' }
                : index,
            )
          : value,
      ),
  },
  {
    name: 'on-demand throughput dates',
    reason:
      'DynamoDB Local adds LastIncreaseDateTime and LastDecreaseDateTime (the epoch) to the ' +
      'ProvisionedThroughput of PAY_PER_REQUEST tables; DynamoDB leaves them out (recorded in ' +
      'test_dynamodb.snapshot.json, test_gsi_with_billing_mode[PAY_PER_REQUEST]).',
    side: 'dynamodb-local',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) =>
        (key === 'LastIncreaseDateTime' || key === 'LastDecreaseDateTime') &&
        value instanceof Date &&
        value.getTime() === 0
          ? DROP
          : value,
      ),
  },
  {
    name: 'CreateTable on-demand timestamp',
    reason:
      "DynamoDB Local's CreateTable answer carries BillingModeSummary.LastUpdateToPayPerRequestDateTime; " +
      "DynamoDB's does not (only DescribeTable's does): test_dynamodb.snapshot.json, " +
      'test_gsi_with_billing_mode[PAY_PER_REQUEST], create-table-with-gsi against describe-table.',
    side: 'dynamodb-local',
    normalise: (outcomes, { steps }) =>
      forOperation(outcomes, steps, 'CreateTable', (outcome) =>
        rewriteMembers(outcome, (key, value) => (key === 'LastUpdateToPayPerRequestDateTime' ? DROP : value)),
      ),
  },
  {
    name: 'warm throughput',
    reason:
      'DynamoDB Local (3.3.0) predates warm throughput: its DescribeTable has no WarmThroughput. DynamoDB ' +
      'describes an on-demand table with WarmThroughput {ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, ' +
      'Status: ACTIVE} (test_dynamodb.snapshot.json and test_dynamodb_streams.snapshot.json, describe-table). ' +
      "For an on-demand table's DescribeTable (and its ACTIVE global indexes) it is not compared: DynamoDB " +
      "Local's missing member and Eddy's on-demand values become one token; anything else stays as it was.",
    side: 'both',
    normalise: (outcomes, { steps, side }) =>
      forOperation(outcomes, steps, 'DescribeTable', (outcome) => {
        if (!('response' in outcome)) return outcome;
        const table = (outcome.response as { Table?: Record<string, unknown> }).Table;
        const billing = (table?.BillingModeSummary as { BillingMode?: string } | undefined)?.BillingMode;
        if (table === undefined || billing !== 'PAY_PER_REQUEST') return outcome;
        const known = (warm: unknown) =>
          side === 'dynamodb-local' ? warm === undefined : stableJson(warm) === stableJson(ON_DEMAND_WARM);
        const token = (member: Record<string, unknown>) =>
          known(member.WarmThroughput)
            ? { ...member, WarmThroughput: '<on-demand warm throughput>' }
            : member;
        const globals = table.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined;
        return {
          ...outcome,
          response: {
            ...(outcome.response as object),
            Table: {
              ...token(table),
              ...(globals === undefined
                ? {}
                : {
                    GlobalSecondaryIndexes: globals.map((index) =>
                      index.IndexStatus === 'ACTIVE' ? token(index) : index,
                    ),
                  }),
            },
          },
        };
      }),
  },
  {
    name: 'unrequested ConsumedCapacity',
    reason:
      'DynamoDB Local answers some writes (DeleteItem of a missing item) with ConsumedCapacity although the ' +
      'request did not set ReturnConsumedCapacity; DynamoDB returns it only when asked (API reference, ' +
      'ReturnConsumedCapacity: "NONE - No ConsumedCapacity details are included in the response").',
    side: 'dynamodb-local',
    normalise: (outcomes, { steps }) =>
      outcomes.map((outcome, index) => {
        const step = steps[index];
        const asked =
          step !== undefined &&
          'input' in step &&
          step.input.ReturnConsumedCapacity !== undefined &&
          step.input.ReturnConsumedCapacity !== 'NONE';
        if (asked || !('response' in outcome)) return outcome;
        return rewriteMembers(outcome, (key, value) => (key === 'ConsumedCapacity' ? DROP : value));
      }),
  },
  {
    name: 'UPDATED_OLD and UPDATED_NEW of nested paths',
    reason:
      'DynamoDB Local answers ReturnValues UPDATED_OLD / UPDATED_NEW with the whole top-level attribute an ' +
      'update path starts at; DynamoDB returns only what the paths reach, nested as in the item (API ' +
      'reference, UpdateItem ReturnValues: "Returns only the updated attributes"; pinned by ' +
      "test/integration/emulator/updateSemantics.test.ts). DynamoDB Local's Attributes are projected on " +
      "the request's update paths, so its values at those paths are still compared.",
    side: 'dynamodb-local',
    normalise: (outcomes, { steps }) =>
      forOperation(outcomes, steps, 'UpdateItem', (outcome, step) => {
        const { ReturnValues, UpdateExpression } = step.input;
        if (ReturnValues !== 'UPDATED_OLD' && ReturnValues !== 'UPDATED_NEW') return outcome;
        if (typeof UpdateExpression !== 'string' || !('response' in outcome)) return outcome;
        const response = outcome.response as Record<string, unknown>;
        if (response.Attributes === undefined) return outcome;
        const update = compileExpressions(step.input).update;
        const paths = update?.clauses.flatMap((clause) => clause.actions.map((action) => action.path)) ?? [];
        const projected = applyProjection({ paths }, response.Attributes as AttributeMap);
        const { Attributes: _, ...rest } = response;
        return {
          step: outcome.step,
          response: Object.keys(projected).length === 0 ? rest : { ...rest, Attributes: projected },
        };
      }),
  },
  {
    name: 'on-demand table with ProvisionedThroughput',
    reason:
      'DynamoDB Local accepts CreateTable with BillingMode PAY_PER_REQUEST and a ProvisionedThroughput; ' +
      `DynamoDB refuses it (${DYNALITE}, validations/createTable.js; test/integration/emulator/controlPlane.test.ts). ` +
      "The step is not compared: DynamoDB Local's acceptance and Eddy's DynamoDB refusal each become the same " +
      'token, and any other answer on either side stays as it was, so the scenario fails.',
    side: 'both',
    normalise: (outcomes, { steps, side }) =>
      forOperation(outcomes, steps, 'CreateTable', (outcome, step) => {
        if (step.input.BillingMode !== 'PAY_PER_REQUEST' || step.input.ProvisionedThroughput === undefined)
          return outcome;
        const expected =
          side === 'dynamodb-local'
            ? 'response' in outcome
            : 'error' in outcome &&
              outcome.error.name === 'ValidationException' &&
              outcome.error.message === ON_DEMAND_WITH_THROUGHPUT;
        return expected ? notCompared(outcome, 'on-demand table with ProvisionedThroughput') : outcome;
      }),
  },
  {
    name: 'TransactGetItems of a key that does not match the key schema',
    reason:
      "DynamoDB cancels a TransactGetItems whose Get has a key that does not match its table's key schema: " +
      'TransactionCanceledException "Transaction cancelled, please refer cancellation reasons for specific ' +
      'reasons [ValidationError]", with a ValidationError reason for that Get (live DynamoDB, ' +
      "pinned by test/integration/emulator/transactions.test.ts; the reason's Message is the one DynamoDB gives " +
      "TransactWriteItems' key-only actions, test/integration/emulator/transactionLimits.test.ts). " +
      'DynamoDB Local throws TransactionCanceledException too, but with one of its key messages as the message ' +
      'and no CancellationReasons. The step is not compared: that answer from DynamoDB Local, and from Eddy ' +
      "DynamoDB's (each Get's reason worked out from the scenario's CreateTable of its table), become the same " +
      'token; any other answer on either side stays as it was, so the scenario fails.',
    side: 'both',
    normalise: (outcomes, { steps, side }) =>
      forOperation(outcomes, steps, 'TransactGetItems', (outcome, step) => {
        if (!('error' in outcome) || outcome.error.name !== 'TransactionCanceledException') return outcome;
        if (side === 'dynamodb-local') {
          const known =
            outcome.error.CancellationReasons === undefined &&
            DYNAMODB_LOCAL_KEY_MESSAGES.test(String(outcome.error.message));
          return known ? notCompared(outcome, 'TransactGetItems key mismatch') : outcome;
        }
        const gets = (step.input.TransactItems as { Get: { TableName: string; Key: object } }[]).map(
          ({ Get }) => Get,
        );
        const reasons = gets.map(({ TableName, Key }) =>
          keyMatchesSchema(steps, TableName, Key)
            ? { Code: 'None' }
            : { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
        );
        if (reasons.every(({ Code }) => Code === 'None')) return outcome;
        const codes = reasons.map(({ Code }) => Code).join(', ');
        const dynamoDbs =
          outcome.error.message ===
            `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]` &&
          stableJson(outcome.error.CancellationReasons) === stableJson(reasons);
        return dynamoDbs ? notCompared(outcome, 'TransactGetItems key mismatch') : outcome;
      }),
  },
  {
    name: 'number normalisation',
    reason:
      'DynamoDB stores every number in a canonical form: "Leading and trailing zeroes are trimmed" (Developer ' +
      'Guide, "Naming rules and data types", Number), and -0 is 0. DynamoDB Local canonicalises top-level ' +
      'attributes only: it keeps numbers inside maps and lists as written (1.50, -0), some set members ' +
      '(2.0), and the scale of computed results (2.5 + -0.5 gives 2.0). Its plain decimals are put in ' +
      'canonical form; exponent forms are left alone.',
    side: 'dynamodb-local',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) => {
        if (key === 'N' && typeof value === 'string') return canonicalDecimal(value);
        if (key === 'NS' && Array.isArray(value))
          return value.map((member) => canonicalDecimal(String(member)));
        return value;
      }),
  },
  {
    name: 'empty maps in stream images',
    reason:
      'DynamoDB Local writes an empty map inside a stream record image as {} instead of {"M":{}} (its GetItem ' +
      'answers {"M":{}} for the same item), which the SDK cannot read as any attribute type. Such values in ' +
      'DynamoDB Local\'s stream records become {"M":{}} again.',
    side: 'dynamodb-local',
    normalise: (outcomes) =>
      outcomes.map((outcome) =>
        'stream' in outcome && typeof outcome.stream === 'object'
          ? rewriteMembers(outcome, (key, value) =>
              (key === 'L' && Array.isArray(value)) ||
              (key === 'M' && isPlainObject(value)) ||
              ((key === 'NewImage' || key === 'OldImage') && isPlainObject(value))
                ? mapAttributeValues(value, (member) =>
                    isPlainObject(member) && Object.keys(member).length === 0 ? { M: {} } : member,
                  )
                : value,
            )
          : outcome,
      ),
  },
  {
    name: 'BatchGetItem result order',
    reason:
      'BatchGetItem returns each table\'s items in no particular order (API reference: "the order of the ' +
      'returned items is not guaranteed"); they are sorted on both sides.',
    side: 'both',
    normalise: (outcomes, { steps }) =>
      forOperation(outcomes, steps, 'BatchGetItem', (outcome) =>
        rewriteMembers(outcome, (_key, value, parent) =>
          parent === (outcome as { response?: { Responses?: unknown } }).response?.Responses &&
          Array.isArray(value)
            ? [...value].sort((a, b) => stableJson(a).localeCompare(stableJson(b)))
            : value,
        ),
      ),
  },
  {
    name: 'error messages',
    reason: 'The MESSAGE_DEVIATIONS above, each with its source.',
    side: 'both',
    normalise: (outcomes, { steps, side }) =>
      outcomes.map((outcome, index) => {
        const step = steps[index];
        if (!('error' in outcome) || step === undefined) return outcome;
        const message = outcome.error.message;
        if (typeof message !== 'string') return outcome;
        const deviation = MESSAGE_DEVIATIONS.find(
          (candidate) =>
            (candidate.operations === undefined || candidate.operations.includes(step.op)) &&
            (candidate.when === undefined || ('input' in step && candidate.when(step.input))) &&
            (side === 'dynamodb-local' ? candidate.dynamoDbLocal : candidate.dynamoDb).test(message),
        );
        return deviation === undefined
          ? outcome
          : { ...outcome, error: { ...outcome.error, message: messageToken(deviation) } };
      }),
  },
  {
    name: 'request ids',
    reason:
      "x-amzn-RequestId (and the SDK's attempt counters) differ on every request. runScenario records " +
      "responses and errors without the SDK's $metadata, so nothing is left to rewrite here.",
    side: 'both',
    normalise: (outcomes) => [...outcomes],
  },
  {
    name: 'event ids',
    reason:
      'eventID is an opaque unique id: DynamoDB Local writes UUIDs, DynamoDB 32 hex digits (Eddy follows ' +
      'DynamoDB); its value differs on every run anyway.',
    side: 'both',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) => (key === 'eventID' ? '<eventID>' : value)),
  },
  {
    name: 'stream relations',
    reason:
      'Shard bounds and record times are not compared as values (the two rules below make them placeholders), ' +
      'so each side is held to what DynamoDB promises about them, and the list of broken promises (empty on ' +
      'both sides) is compared instead: every record lies within the bounds of a shard of the stream ' +
      '(StartingSequenceNumber ≤ SequenceNumber ≤ EndingSequenceNumber, https://docs.aws.amazon.com/' +
      'amazondynamodb/latest/APIReference/API_streams_SequenceNumberRange.html), sequence numbers increase ' +
      'within a shard, and ApproximateCreationDateTime is whole seconds ("rounded down to the closest second", ' +
      'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html) and never ' +
      'goes back within a shard. Neither side gets an answer it did not give.',
    side: 'both',
    normalise: (outcomes) =>
      outcomes.map((outcome) =>
        'stream' in outcome && outcome.stream !== 'no stream'
          ? ({
              ...outcome,
              stream: { ...outcome.stream, brokenPromises: brokenPromises(outcome.stream) },
            } as Outcome)
          : outcome,
      ),
  },
  {
    name: 'timestamps',
    reason:
      'Creation times differ between any two runs; DynamoDB Local also truncates a stream record’s ' +
      'ApproximateCreationDateTime to the minute where DynamoDB rounds down to the second. Every timestamp ' +
      "(the SDK turns them into Dates) becomes one placeholder; stream records' times are held to their " +
      "relations in 'stream relations' above.",
    side: 'both',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (_key, value) => (value instanceof Date ? '<time>' : value)),
  },
  {
    name: 'stream labels',
    reason:
      'A stream label is the stream’s creation time (in LatestStreamLabel, StreamLabel and the end of every ' +
      'stream ARN), so it differs between any two runs.',
    side: 'both',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) => {
        if (key === 'LatestStreamLabel' || key === 'StreamLabel') return '<label>';
        if (typeof value === 'string') {
          const match = STREAM_ARN.exec(value);
          if (match !== null) return `${match[1]}<label>`;
        }
        return value;
      }),
  },
  {
    name: 'table ids',
    reason: 'DynamoDB Local does not return TableId (DynamoDB does, a random UUID, as Eddy does).',
    side: 'both',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) => (key === 'TableId' ? DROP : value)),
  },
  {
    name: 'sequence numbers',
    reason:
      'Sequence numbers are opaque; only their order within a shard is defined: DynamoDB Local counts from ' +
      '000000000000000000001 across all its tables, DynamoDB (and Eddy) use large numbers with gaps. Each ' +
      "record's becomes its rank among the records of its stream reading, so order and uniqueness are still " +
      "compared. A shard's StartingSequenceNumber is only promised to be at or below its first record's: " +
      "DynamoDB Local makes it equal, Eddy one below, so range bounds become a placeholder, after 'stream " +
      "relations' above has checked every record against them.",
    side: 'both',
    normalise: (outcomes, { steps }) =>
      outcomes.map((outcome, index) => {
        if (!('stream' in outcome) || outcome.stream === 'no stream') return outcome;
        const perItem =
          steps[index]?.op === 'ReadStream' && (steps[index] as { order?: string }).order === 'per-item';
        return rewriteMembers(
          perItem
            ? perItemOrder(outcome)
            : (byRank([outcome], RECORD_SEQUENCE, 'seq', compareBigInts)[0] as Outcome),
          (key, value) => (SEQUENCE_RANGE_MEMBERS.has(key) ? '<sequence range bound>' : value),
        );
      }),
  },
  {
    name: 'order across the items of one BatchWriteItem',
    reason:
      'BatchWriteItem writes its items in no defined order ("the individual PutItem and DeleteItem operations ' +
      'specified in BatchWriteItem are atomic; however BatchWriteItem as a whole is not", and DynamoDB ' +
      'Streams orders records per item only: "the stream records appear in the same sequence as the actual ' +
      "modifications to the item\"). A stream read with order 'per-item' groups records by key, keeping each " +
      "item's own order, and numbers each record within its item.",
    side: 'both',
    // Applied inside 'sequence numbers' above, which must see the raw sequence numbers.
    normalise: (outcomes) => [...outcomes],
  },
  {
    name: 'shard ids',
    reason:
      'Shard ids embed a creation time and random suffix; they become their rank, so which records share a ' +
      'shard and parent/child links are still compared.',
    side: 'both',
    normalise: (outcomes) => byRank(outcomes, SHARD_MEMBERS, 'shard', (a, b) => a.localeCompare(b)),
  },
  {
    name: 'set member order',
    reason:
      'String, number and binary sets are unordered in DynamoDB; DynamoDB Local returns members in its own ' +
      'hash order. Members are sorted on both sides (their values, count and duplicates still compared).',
    side: 'both',
    normalise: (outcomes) =>
      rewriteMembers(outcomes as Outcome[], (key, value) =>
        SET_TYPES.has(key) && Array.isArray(value)
          ? [...value].sort((a, b) => String(a).localeCompare(String(b)))
          : value,
      ),
  },
];

/**
 * What a stream reading breaks of DynamoDB's promises about shard bounds and record times (empty when it keeps
 * them): see the 'stream relations' deviation. Records come shard by shard, in the order GetRecords gave them.
 */
const brokenPromises = (reading: StreamReading): string[] => {
  const broken: string[] = [];
  const shards = ((reading.description as { Shards?: Shard[] } | undefined)?.Shards ?? []).map((shard) => ({
    id: String(shard.ShardId),
    start: BigInt(shard.SequenceNumberRange?.StartingSequenceNumber ?? '0'),
    end:
      shard.SequenceNumberRange?.EndingSequenceNumber === undefined
        ? undefined
        : BigInt(shard.SequenceNumberRange.EndingSequenceNumber),
  }));
  for (const shard of shards)
    if (shard.end !== undefined && shard.end < shard.start) broken.push(`${shard.id} ends before it starts`);
  const last = new Map<string, { sequence: bigint; time: number }>();
  reading.records.forEach((record, index) => {
    const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '-1');
    const shard = shards.find((s) => s.start <= sequence && (s.end === undefined || sequence <= s.end));
    const time = record.dynamodb?.ApproximateCreationDateTime?.getTime();
    if (shard === undefined) {
      broken.push(`record ${index + 1} is within no shard's bounds`);
      return;
    }
    if (time === undefined || time % 1000 !== 0)
      broken.push(`record ${index + 1}'s ApproximateCreationDateTime is not whole seconds`);
    const previous = last.get(shard.id);
    if (previous !== undefined && sequence <= previous.sequence)
      broken.push(`record ${index + 1}'s sequence number does not increase within its shard`);
    if (previous !== undefined && time !== undefined && time < previous.time)
      broken.push(`record ${index + 1}'s ApproximateCreationDateTime goes back within its shard`);
    last.set(shard.id, { sequence, time: time ?? 0 });
  });
  return broken;
};

/** Applies the allowed deviations for one side's transcript. */
const normaliseOutcomes = (outcomes: readonly Outcome[], context: NormaliseContext): Outcome[] =>
  ALLOWED_DEVIATIONS.reduce<Outcome[]>(
    (current, deviation) =>
      deviation.side === 'both' || deviation.side === context.side
        ? deviation.normalise(current, context)
        : current,
    [...outcomes],
  );

export type { AllowedDeviation, MessageDeviation, NormaliseContext };
export { ALLOWED_DEVIATIONS, MESSAGE_DEVIATIONS, normaliseOutcomes };
