import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, parseTemplate } from '../../../../local-runtime/template/loadTemplate.js';
import { mergeGlobal } from '../../../../local-runtime/template/readGlobals.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';
import { TemplateErrors } from '../../../../local-runtime/template/TemplateErrors.js';
import type { LoadTemplateOptions } from '../../../../local-runtime/template/types.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-template-'));
  const files = [
    'src/handlers/ordersProjection.ts',
    'src/handlers/app.ts',
    'src/handlers/app.js',
    'src/handlers/legacy.cjs',
    'src/handlers/module.mjs',
    'src/handlers/plain.js',
    'root.ts',
  ];
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'export const handler = async () => {};\n');
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const parse = (yaml: string, options: LoadTemplateOptions = {}) =>
  parseTemplate(yaml, { ...options, path: join(dir, 'template.yaml') });

const errorOf = (yaml: string, options: LoadTemplateOptions = {}): TemplateError => {
  try {
    parse(yaml, options);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

const SAM = 'Transform: AWS::Serverless-2016-10-31\n';

const ORDERS_TABLE = `
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}`;

/** A SAM template with the Orders table and one function `Fn`; `properties` lines are indented by 6 spaces. */
const withFunction = ({
  properties = '',
  event = '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}',
  attributes = '',
  resources = '',
  head = '',
}: {
  properties?: string;
  event?: string;
  attributes?: string;
  resources?: string;
  head?: string;
} = {}) => `${SAM}${head}
Resources:${ORDERS_TABLE}${resources}
  Fn:
    Type: AWS::Serverless::Function${attributes}
    Properties:
      CodeUri: src
      Handler: handlers/app.handler
      Runtime: nodejs20.x
${properties}
      Events:
        Stream:
          Type: DynamoDB
          Properties: ${event}
`;

const fnOf = (yaml: string, options: LoadTemplateOptions = {}) => {
  const fn = parse(yaml, options).functions.find(({ logicalId }) => logicalId === 'Fn');
  if (fn === undefined) throw new Error('no Fn');
  return fn;
};

const EVENT_LOCATION = 'Resources.Fn.Properties.Events.Stream.Properties';

const REALISTIC = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Orders and a per-customer projection fed by the orders stream

Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]

Conditions:
  IsProd: !Equals [!Ref Stage, prod]

Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 30
    MemorySize: 256
    Environment:
      Variables:
        STAGE: !Ref Stage
        LOG_LEVEL: info

Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${AWS::StackName}-orders-\${Stage}'
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: sk, AttributeType: S}
        - {AttributeName: gsi1pk, AttributeType: S}
      KeySchema:
        - {AttributeName: pk, KeyType: HASH}
        - {AttributeName: sk, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: gsi1
          KeySchema: [{AttributeName: gsi1pk, KeyType: HASH}]
          Projection: {ProjectionType: ALL}
          ContributorInsightsSpecification: {Enabled: true}
      StreamSpecification:
        StreamViewType: NEW_AND_OLD_IMAGES
      SSESpecification: {SSEEnabled: true}
      TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      DeletionProtectionEnabled: !If [IsProd, true, false]
      Tags: [{Key: app, Value: eddy}]

  OrdersViewTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PROVISIONED
      ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: '5'}
      AttributeDefinitions: [{AttributeName: customerId, AttributeType: S}]
      KeySchema: [{AttributeName: customerId, KeyType: HASH}]

  OrdersDLQ:
    Type: AWS::SQS::Queue

  OrdersProjectionFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        Minify: false
        Target: es2022
        Sourcemap: true
        EntryPoints: [handlers/ordersProjection.ts]
        External: ['@aws-sdk/*']
    Properties:
      CodeUri: src/
      Handler: ordersProjection.handler
      Environment:
        Variables:
          VIEW_TABLE: !Ref OrdersViewTable
          VIEW_TABLE_ARN: !GetAtt OrdersViewTable.Arn
          LOG_LEVEL: debug
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref OrdersViewTable}
      VpcConfig:
        SecurityGroupIds: [!ImportValue shared-sg]
      Events:
        OrdersStream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt OrdersTable.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 100
            MaximumBatchingWindowInSeconds: 1
            BisectBatchOnFunctionError: true
            MaximumRetryAttempts: !If [IsProd, 10, 3]
            FunctionResponseTypes: [ReportBatchItemFailures]
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT", "MODIFY"]}'
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt OrdersDLQ.Arn
        Api:
          Type: Api
          Properties: {Path: /orders, Method: get}

  OrdersApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.lambda_handler
      Runtime: python3.12
      Events:
        Get:
          Type: Api
          Properties: {Path: /orders, Method: get}

  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !ImportValue not-resolved

Outputs:
  Queue:
    Value: !ImportValue not-resolved-either
`;

describe('parseTemplate with a realistic template', () => {
  it('describes the tables', () => {
    const template = parse(REALISTIC);
    expect(template.path).toBe(join(dir, 'template.yaml'));
    expect(template).toMatchObject({ stackName: 'eddy', region: 'us-east-1', accountId: '000000000000' });
    expect(template.tables).toEqual([
      {
        logicalId: 'OrdersTable',
        createTableInput: {
          TableName: 'eddy-orders-dev',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'gsi1pk', AttributeType: 'S' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          SSESpecification: { Enabled: true },
          DeletionProtectionEnabled: false,
          Tags: [{ Key: 'app', Value: 'eddy' }],
        },
        timeToLive: { AttributeName: 'expiresAt', Enabled: true },
      },
      {
        logicalId: 'OrdersViewTable',
        createTableInput: {
          TableName: 'eddy-OrdersViewTable',
          KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'customerId', AttributeType: 'S' }],
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      },
    ]);
  });

  it('describes the function with its build, environment and DynamoDB event', () => {
    const template = parse(REALISTIC);
    expect(template.functions).toEqual([
      {
        logicalId: 'OrdersProjectionFunction',
        functionName: 'eddy-OrdersProjectionFunction',
        handler: 'ordersProjection.handler',
        runtime: 'nodejs20.x',
        codeUri: join(dir, 'src'),
        timeoutSeconds: 30,
        memorySize: 256,
        environment: {
          STAGE: 'dev',
          LOG_LEVEL: 'debug',
          VIEW_TABLE: 'eddy-OrdersViewTable',
          VIEW_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/eddy-OrdersViewTable',
          // Sourcemap: true, as sam build adds it (samcli/lib/build/bundler.py).
          NODE_OPTIONS: '--enable-source-maps',
        },
        build: {
          method: 'esbuild',
          builder: 'esbuild',
          entryPoints: [join(dir, 'src/handlers/ordersProjection.ts')],
          properties: {
            Minify: false,
            Target: 'es2022',
            Sourcemap: true,
            EntryPoints: ['handlers/ordersProjection.ts'],
            External: ['@aws-sdk/*'],
          },
          esbuild: {
            entryPoints: [join(dir, 'src/handlers/ordersProjection.ts')],
            format: 'cjs',
            target: ['es2022'],
            minify: false,
            sourcemap: true,
            external: ['@aws-sdk/*'],
            loader: {},
            outExtension: {},
            banner: {},
          },
        },
        events: [
          {
            name: 'OrdersStream',
            location: 'Resources.OrdersProjectionFunction.Properties.Events.OrdersStream.Properties',
            tableLogicalId: 'OrdersTable',
            properties: {
              StartingPosition: 'TRIM_HORIZON',
              BatchSize: 100,
              MaximumBatchingWindowInSeconds: 1,
              BisectBatchOnFunctionError: true,
              MaximumRetryAttempts: 3,
              FunctionResponseTypes: ['ReportBatchItemFailures'],
              FilterCriteria: { Filters: [{ Pattern: '{"eventName": ["INSERT", "MODIFY"]}' }] },
              DestinationConfig: {
                OnFailure: { Type: 'SQS', Destination: 'arn:aws:sqs:us-east-1:000000000000:eddy-OrdersDLQ' },
              },
            },
          },
        ],
      },
    ]);
  });

  it('applies the stack name, region, account and parameter overrides', () => {
    const template = parse(REALISTIC, {
      stackName: 'shop',
      region: 'eu-west-1',
      accountId: '123456789012',
      parameterOverrides: { Stage: 'prod' },
    });
    expect(template).toMatchObject({ stackName: 'shop', region: 'eu-west-1', accountId: '123456789012' });
    const [orders] = template.tables;
    expect(orders?.createTableInput).toMatchObject({
      TableName: 'shop-orders-prod',
      DeletionProtectionEnabled: true,
    });
    const [fn] = template.functions;
    expect(fn?.environment.VIEW_TABLE_ARN).toBe(
      'arn:aws:dynamodb:eu-west-1:123456789012:table/shop-OrdersViewTable',
    );
    expect(fn?.events[0]?.properties.MaximumRetryAttempts).toBe(10);
  });
});

describe('loadTemplate', () => {
  it('reads the template file', async () => {
    const path = join(dir, 'on-disk.yaml');
    writeFileSync(path, REALISTIC);
    const template = await loadTemplate(path);
    expect(template.path).toBe(path);
    expect(template.functions.map(({ logicalId }) => logicalId)).toEqual(['OrdersProjectionFunction']);
  });

  it('names a file it cannot read', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await loadTemplate(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).location).toBe('');
    expect((error as TemplateError).message).toMatch(
      new RegExp(`^${path}: cannot read the template: ENOENT`),
    );
  });

  it('names the file and line of a YAML syntax error', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, `${SAM}Resources:\n  T: {Type: AWS::SQS::Queue\n`);
    const error = (await loadTemplate(path).catch((caught: unknown) => caught)) as TemplateError;
    expect(error.templatePath).toBe(path);
    expect(error.message).toMatch(new RegExp(`^${path}: line \\d+, column \\d+: YAML syntax error`));
  });
});

describe('Globals', () => {
  it('merges maps key by key, the resource winning', () => {
    const fn = fnOf(
      withFunction({
        head: 'Globals:\n  Function:\n    Environment:\n      Variables: {A: global, B: global}\n',
        properties: '      Environment:\n        Variables: {B: local, C: local}',
      }),
    );
    expect(fn.environment).toEqual({ A: 'global', B: 'local', C: 'local' });
  });

  it('replaces primitives with the resource value and fills what the resource lacks', () => {
    const fn = fnOf(
      withFunction({
        head: 'Globals:\n  Function: {Timeout: 10, MemorySize: 512, Runtime: nodejs18.x}\n',
        properties: '      Timeout: 20',
      }),
    );
    expect(fn).toMatchObject({ timeoutSeconds: 20, memorySize: 512, runtime: 'nodejs20.x' });
  });

  it('takes Handler, Runtime and CodeUri from Globals', () => {
    const yaml = `${SAM}Globals:
  Function: {Handler: handlers/plain.handler, Runtime: nodejs22.x, CodeUri: src}
Resources:${ORDERS_TABLE}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        S: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}}
`;
    expect(fnOf(yaml)).toMatchObject({
      handler: 'handlers/plain.handler',
      runtime: 'nodejs22.x',
      codeUri: join(dir, 'src'),
      build: { entryPoints: [join(dir, 'src/handlers/plain.js')] },
    });
  });

  it('prepends global lists, merges nested maps and treats intrinsics as single values', () => {
    expect(mergeGlobal({ Layers: ['g'], Tags: { a: 1, b: 1 } }, { Layers: ['l'], Tags: { b: 2 } })).toEqual({
      Layers: ['g', 'l'],
      Tags: { a: 1, b: 2 },
    });
    expect(mergeGlobal({ Env: { A: 1 } }, { Env: { Ref: 'X' } })).toEqual({ Env: { Ref: 'X' } });
    expect(mergeGlobal({ Env: { 'Fn::If': ['C', {}, {}] } }, { Env: { A: 1 } })).toEqual({ Env: { A: 1 } });
    expect(mergeGlobal({ Env: { Condition: 'C' } }, { Env: { A: 1 } })).toEqual({ Env: { A: 1 } });
    expect(mergeGlobal({ Layers: ['g'] }, { Layers: 'not-a-list' })).toEqual({ Layers: 'not-a-list' });
  });

  it('keeps a __proto__ key from Globals as data', () => {
    const merged = mergeGlobal(JSON.parse('{"__proto__": {"x": 1}}'), { a: 1 }) as Record<string, unknown>;
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });

  it('skips Globals for IgnoreGlobals', () => {
    const head = 'Globals:\n  Function: {Timeout: 10, MemorySize: 512}\n';
    expect(fnOf(withFunction({ head, attributes: "\n    IgnoreGlobals: '*'" }))).toMatchObject({
      timeoutSeconds: 3,
      memorySize: 128,
    });
    expect(fnOf(withFunction({ head, attributes: '\n    IgnoreGlobals: [Timeout]' }))).toMatchObject({
      timeoutSeconds: 3,
      memorySize: 512,
    });
  });

  it('merges Globals.SimpleTable into SimpleTables', () => {
    const yaml = `${SAM}Globals:\n  SimpleTable: {SSESpecification: {SSEEnabled: true}}\nResources:\n  T: {Type: AWS::Serverless::SimpleTable}\n`;
    expect(parse(yaml).tables[0]?.createTableInput.SSESpecification).toEqual({ Enabled: true });
  });

  it.each(['Events', 'Policies', 'Role', 'FunctionName'])('rejects %s in Globals.Function', (property) => {
    const error = errorOf(withFunction({ head: `Globals:\n  Function:\n    ${property}: x\n` }));
    expect(error.location).toBe(`Globals.Function.${property}`);
    expect(error.problem).toMatch(
      new RegExp(
        `^'${property}' is not a supported property of 'Function' in Globals\\. Must be one of the following values - \\[Handler, Runtime, CodeUri, .*VersionDeletionPolicy\\]$`,
      ),
    );
  });

  it('rejects a SimpleTable Global other than SSESpecification', () => {
    const error = errorOf(
      `${SAM}Globals:\n  SimpleTable: {PrimaryKey: {Name: id}}\nResources:\n  T: {Type: AWS::Serverless::SimpleTable}\n`,
    );
    expect(error.location).toBe('Globals.SimpleTable.PrimaryKey');
    expect(error.problem).toContain('Must be one of the following values - [SSESpecification]');
  });

  it('rejects an unknown Globals section', () => {
    const error = errorOf(withFunction({ head: 'Globals:\n  Table: {Timeout: 1}\n' }));
    expect(error.location).toBe('Globals.Table');
    expect(error.problem).toBe(
      "'Table' is not supported in Globals. Must be one of: Function, SimpleTable, Api, HttpApi, WebSocketApi, LayerVersion, StateMachine, CapacityProvider",
    );
  });

  it('accepts other SAM Globals sections without checking them', () => {
    expect(() => parse(withFunction({ head: 'Globals:\n  Api: {Cors: "*"}\n' }))).not.toThrow();
  });
});

describe('DynamoDB events', () => {
  it('rejects a property SAM does not allow, listing the allowed ones', () => {
    const error = errorOf(
      withFunction({ event: '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, Queue: x}' }),
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.Queue`);
    expect(error.problem).toBe(
      "'Queue' is not a property of a DynamoDB event. Allowed: BatchSize, BisectBatchOnFunctionError, DestinationConfig, Enabled, FilterCriteria, FunctionResponseTypes, KmsKeyArn, MaximumBatchingWindowInSeconds, MaximumRecordAgeInSeconds, MaximumRetryAttempts, MetricsConfig, ParallelizationFactor, StartingPosition, StartingPositionTimestamp, Stream, TumblingWindowInSeconds",
    );
  });

  it.each([
    ['Stream', '{StartingPosition: LATEST}'],
    ['StartingPosition', '{Stream: !GetAtt Orders.StreamArn}'],
  ])('requires %s', (property, event) => {
    const error = errorOf(withFunction({ event }));
    expect(error.location).toBe(`${EVENT_LOCATION}.${property}`);
    expect(error.message).toBe(
      `${join(dir, 'template.yaml')}: ${EVENT_LOCATION}.${property}: ${property} is required`,
    );
  });

  it('requires Properties', () => {
    const yaml = withFunction().replace(/Properties: \{Stream.*\}/, 'Properties:');
    expect(errorOf(yaml).location).toBe(`${EVENT_LOCATION}.Stream`);
  });

  it('rejects an OnFailure Type SAM does not know', () => {
    const error = errorOf(
      withFunction({
        event:
          '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, DestinationConfig: {OnFailure: {Type: Lambda, Destination: x}}}',
      }),
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.DestinationConfig.OnFailure.Type`);
    expect(error.problem).toBe("The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'");
  });

  it.each(['SNS', 'S3', 'Kafka'])('accepts OnFailure Type %s, and none', (type) => {
    const destination = `DestinationConfig: {OnFailure: {Type: ${type}, Destination: arn:x}}`;
    const fn = fnOf(
      withFunction({ event: `{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, ${destination}}` }),
    );
    expect(fn.events[0]?.properties.DestinationConfig).toEqual({
      OnFailure: { Type: type, Destination: 'arn:x' },
    });
    const untyped =
      '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, DestinationConfig: {OnFailure: {Destination: arn:x}}}';
    expect(() => parse(withFunction({ event: untyped }))).not.toThrow();
  });

  it('requires OnFailure in DestinationConfig', () => {
    const error = errorOf(
      withFunction({
        event: '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, DestinationConfig: {}}',
      }),
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.DestinationConfig.OnFailure`);
    expect(error.problem).toBe("Property 'DestinationConfig.OnFailure' should be a map.");
  });

  it('accepts a literal stream ARN', () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/other/stream/2024-01-01T00:00:00.000';
    const fn = fnOf(withFunction({ event: `{Stream: '${arn}', StartingPosition: LATEST}` }));
    expect(fn.events[0]).toMatchObject({ tableLogicalId: '', streamArn: arn });
    expect(fn.events[0]?.properties).toEqual({ StartingPosition: 'LATEST' });
  });

  it.each([
    ['!GetAtt Orders.Arn', '"arn:aws:dynamodb:us-east-1:000000000000:table/eddy-Orders"'],
    ['!Ref Orders', '"eddy-Orders"'],
  ])('rejects Stream: %s, which is not a stream', (stream, got) => {
    const error = errorOf(withFunction({ event: `{Stream: ${stream}, StartingPosition: LATEST}` }));
    expect(error.location).toBe(`${EVENT_LOCATION}.Stream`);
    expect(error.problem).toBe(
      `Stream must be the stream of a table in this template (!GetAtt <Table>.StreamArn) or a DynamoDB stream ARN, got ${got}`,
    );
  });

  it('rejects the stream of a table that is not in the template', () => {
    const error = errorOf(
      withFunction({ event: '{Stream: !GetAtt Other.StreamArn, StartingPosition: LATEST}' }),
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.Stream`);
    expect(error.problem).toBe('Fn::GetAtt Other.StreamArn: there is no resource named Other');
  });

  it('rejects the stream of a table without StreamSpecification', () => {
    const resources = `
  View:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST, KeySchema: [{AttributeName: id, KeyType: HASH}]}`;
    const error = errorOf(
      withFunction({ resources, event: '{Stream: !GetAtt View.StreamArn, StartingPosition: LATEST}' }),
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.Stream`);
    expect(error.problem).toBe('table View has no StreamSpecification, so it has no stream');
  });

  it('rejects the stream of a SimpleTable', () => {
    const resources = '\n  Simple: {Type: AWS::Serverless::SimpleTable}';
    const error = errorOf(
      withFunction({ resources, event: '{Stream: !GetAtt Simple.StreamArn, StartingPosition: LATEST}' }),
    );
    expect(error.problem).toBe('table Simple has no StreamSpecification, so it has no stream');
  });

  it('drops properties that resolve to AWS::NoValue and keeps the rest as written', () => {
    const event =
      '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, BatchSize: 99999, Enabled: false, MaximumRetryAttempts: !Ref AWS::NoValue, TumblingWindowInSeconds: !FindInMap [M, a, b]}';
    const fn = fnOf(withFunction({ event, head: 'Mappings: {M: {a: {b: 60}}}\n' }));
    expect(fn.events[0]?.properties).toEqual({
      StartingPosition: 'LATEST',
      BatchSize: 99999,
      Enabled: false,
      TumblingWindowInSeconds: 60,
    });
  });

  it('ignores other event types and lists only functions with a DynamoDB event', () => {
    const template = parse(REALISTIC);
    expect(template.functions.map(({ logicalId }) => logicalId)).toEqual(['OrdersProjectionFunction']);
    expect(template.functions[0]?.events.map(({ name }) => name)).toEqual(['OrdersStream']);
  });

  it('requires a Type on every event', () => {
    const yaml = withFunction().replace('          Type: DynamoDB\n', '');
    const error = errorOf(yaml);
    expect(error.location).toBe('Resources.Fn.Properties.Events.Stream');
    expect(error.problem).toBe('an event needs a Type');
  });
});

describe('functions', () => {
  it('defaults Timeout to 3, MemorySize to 128 and FunctionName to <stack>-<logicalId>', () => {
    expect(fnOf(withFunction(), { stackName: 'shop' })).toMatchObject({
      functionName: 'shop-Fn',
      timeoutSeconds: 3,
      memorySize: 128,
      environment: {},
    });
  });

  it('uses an explicit FunctionName', () => {
    expect(
      fnOf(withFunction({ properties: `      FunctionName: !Sub '\${AWS::StackName}-projector'` }))
        .functionName,
    ).toBe('eddy-projector');
  });

  it('reads numbers given by parameters or as strings', () => {
    const head = 'Parameters:\n  T: {Type: Number, Default: 45}\n  M: {Type: String, Default: "1024"}\n';
    expect(
      fnOf(withFunction({ head, properties: '      Timeout: !Ref T\n      MemorySize: !Ref M' })),
    ).toMatchObject({
      timeoutSeconds: 45,
      memorySize: 1024,
    });
  });

  it('rejects a Timeout that is not a number', () => {
    const error = errorOf(withFunction({ properties: '      Timeout: soon' }));
    expect(error.location).toBe('Resources.Fn.Properties.Timeout');
    expect(error.problem).toBe('Timeout must be a number, got "soon"');
  });

  // Without Metadata, sam build copies CodeUri as is and Lambda loads <module>.js, .mjs or .cjs
  // (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html); the module ends at the first dot.
  it.each([
    ['handlers/app.handler', 'src/handlers/app.js'],
    ['handlers/module.handler', 'src/handlers/module.mjs'],
    ['handlers/legacy.handler', 'src/handlers/legacy.cjs'],
    ['handlers/plain.handler', 'src/handlers/plain.js'],
    ['handlers/app.nested.handler', 'src/handlers/app.js'],
  ])('runs the file Lambda would load for Handler %s without Metadata', (handler, file) => {
    const fn = fnOf(withFunction().replace('handlers/app.handler', handler));
    expect(fn.build).toEqual({ builder: 'none', entryPoints: [join(dir, file)], properties: {} });
  });

  it('names the Handler property when Lambda would find no file for it', () => {
    const error = errorOf(withFunction().replace('handlers/app.handler', 'handlers/missing.handler'));
    expect(error.location).toBe('Resources.Fn.Properties.Handler');
    expect(error.problem).toBe(
      `no file for Handler handlers/missing.handler: tried ${join(dir, 'src/handlers/missing')}{.js,.mjs,.cjs}, as Lambda's Node.js runtime does`,
    );
  });

  it('says to add BuildMethod esbuild when a Handler without Metadata is TypeScript', () => {
    const error = errorOf(
      withFunction().replace('handlers/app.handler', 'handlers/ordersProjection.handler'),
    );
    expect(error.location).toBe('Resources.Fn.Properties.Handler');
    expect(error.problem).toContain(
      `${join(dir, 'src/handlers/ordersProjection.ts')} is TypeScript, and Lambda's Node.js runtime loads only ordersProjection.js, .mjs or .cjs: add Metadata: {BuildMethod: esbuild}`,
    );
  });

  it('rejects a Handler without an export name', () => {
    const error = errorOf(withFunction().replace('handlers/app.handler', 'app'));
    expect(error.location).toBe('Resources.Fn.Properties.Handler');
    expect(error.problem).toBe('Handler is required, as <file>.<export> (e.g. app.handler)');
  });

  it('defaults CodeUri to the template folder', () => {
    const fn = fnOf(
      withFunction({ attributes: '\n    Metadata: {BuildMethod: esbuild}' })
        .replace('      CodeUri: src\n', '')
        .replace('handlers/app.handler', 'root.handler'),
    );
    expect(fn.codeUri).toBe(dir);
    expect(fn.build.entryPoints).toEqual([join(dir, 'root.ts')]);
  });

  it.each([
    ['s3://bucket/code.zip', 'CodeUri must be a local folder; code in S3 cannot be run locally'],
    ['{Bucket: b, Key: k}', 'CodeUri must be a local folder; code in S3 cannot be run locally'],
    ['nowhere', '<dir>/nowhere is not a folder'],
  ])('rejects CodeUri %s', (codeUri, problem) => {
    const error = errorOf(withFunction().replace('CodeUri: src', `CodeUri: ${codeUri}`));
    expect(error.location).toBe('Resources.Fn.Properties.CodeUri');
    expect(error.problem).toBe(problem.replace('<dir>', dir));
  });

  it('takes esbuild entry points relative to CodeUri', () => {
    const attributes =
      '\n    Metadata:\n      BuildMethod: esbuild\n      BuildProperties: {EntryPoints: [handlers/app.ts, handlers/module.mjs], Format: esm}';
    expect(fnOf(withFunction({ attributes })).build).toMatchObject({
      method: 'esbuild',
      builder: 'esbuild',
      entryPoints: [join(dir, 'src/handlers/app.ts'), join(dir, 'src/handlers/module.mjs')],
      properties: { EntryPoints: ['handlers/app.ts', 'handlers/module.mjs'], Format: 'esm' },
      esbuild: { format: 'esm' },
    });
  });

  it('uses the handler file for esbuild without EntryPoints and for other build methods', () => {
    const esbuild = '\n    Metadata: {BuildMethod: esbuild, BuildProperties: {Minify: true}}';
    // sam build: the entry point is handler.split('.')[0], tried with .ts then .js (aws-lambda-builders esbuild.py).
    expect(fnOf(withFunction({ attributes: esbuild })).build).toMatchObject({
      method: 'esbuild',
      builder: 'esbuild',
      entryPoints: [join(dir, 'src/handlers/app.ts')],
      properties: { Minify: true },
    });
    const makefile = '\n    Metadata: {BuildMethod: makefile, BuildProperties: {Format: whatever}}';
    expect(fnOf(withFunction({ attributes: makefile })).build).toMatchObject({
      method: 'makefile',
      builder: 'esbuild',
      entryPoints: [join(dir, 'src/handlers/app.ts')],
      esbuild: { format: 'cjs', minify: true, target: ['es2020'] },
    });
  });

  it('names the entry point that does not exist', () => {
    const attributes =
      '\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [handlers/app.ts, nope.ts]}}';
    const error = errorOf(withFunction({ attributes }));
    expect(error.location).toBe('Resources.Fn.Metadata.BuildProperties.EntryPoints[1]');
    expect(error.problem).toBe(`entry point nope.ts is not a file in ${join(dir, 'src')}`);
  });

  it('turns numbers and booleans in Environment into strings', () => {
    const fn = fnOf(
      withFunction({ properties: '      Environment:\n        Variables: {PORT: 8080, DEBUG: true}' }),
    );
    expect(fn.environment).toEqual({ PORT: '8080', DEBUG: 'true' });
  });

  it('rejects a stream ARN in Environment, which exists only once the table does', () => {
    const error = errorOf(
      withFunction({
        properties: '      Environment:\n        Variables: {STREAM: !GetAtt Orders.StreamArn}',
      }),
    );
    expect(error.location).toBe('Resources.Fn.Properties.Environment.Variables.STREAM');
    expect(error.problem).toBe(
      'the stream ARN of Orders exists only once the emulator has created the table, so it cannot be an environment variable locally',
    );
  });

  it('rejects a list in Environment', () => {
    const error = errorOf(withFunction({ properties: '      Environment:\n        Variables: {LIST: [a]}' }));
    expect(error.location).toBe('Resources.Fn.Properties.Environment.Variables.LIST');
    expect(error.problem).toBe('an environment variable must be a string');
  });

  it('names the Environment variable that cannot be resolved locally', () => {
    const error = errorOf(
      withFunction({ properties: '      Environment:\n        Variables: {X: !ImportValue shared}' }),
    );
    expect(error.message).toMatch(
      new RegExp(
        `^${join(dir, 'template.yaml')}: Resources\\.Fn\\.Properties\\.Environment\\.Variables\\.X: Fn::ImportValue cannot be resolved locally`,
      ),
    );
  });

  it('rejects a Runtime other than Node.js', () => {
    const error = errorOf(withFunction().replace('nodejs20.x', 'python3.12'));
    expect(error.location).toBe('Resources.Fn.Properties.Runtime');
    expect(error.problem).toBe('eddy runs Node.js functions (e.g. nodejs22.x), got python3.12');
  });

  it.each([
    ['      PackageType: Image', 'PackageType', 'eddy runs Zip functions only'],
    [
      '      InlineCode: "exports.handler = 1"',
      'InlineCode',
      'InlineCode is not supported locally; use CodeUri',
    ],
  ])('rejects %s', (properties, property, problem) => {
    const error = errorOf(withFunction({ properties }));
    expect(error.location).toBe(`Resources.Fn.Properties.${property}`);
    expect(error.problem).toBe(problem);
  });

  it('rejects two functions with the same name', () => {
    const yaml = `${withFunction({ properties: '      FunctionName: same' })}  Fn2:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: same
      CodeUri: src
      Handler: handlers/app.handler
      Runtime: nodejs20.x
      Events:
        S: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}}
`;
    const error = errorOf(yaml);
    expect(error.location).toBe('Resources.Fn2.Properties.FunctionName');
    expect(error.problem).toBe('function name same is also the function name of Fn');
  });
});

describe('tables', () => {
  const tablesOf = (resources: string, options: LoadTemplateOptions = {}) =>
    parse(`${SAM}Resources:${resources}\n`, options).tables;

  it('maps a SimpleTable with the default key to an on-demand table without stream', () => {
    expect(tablesOf('\n  Things: {Type: AWS::Serverless::SimpleTable}')).toEqual([
      {
        logicalId: 'Things',
        createTableInput: {
          TableName: 'eddy-Things',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    ]);
  });

  it('maps a SimpleTable PrimaryKey, throughput, name and tags', () => {
    const [table] = tablesOf(`
  Things:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: things
      PrimaryKey: {Name: n, Type: Number}
      ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 3}
      Tags: {team: core, app: eddy}`);
    expect(table?.createTableInput).toEqual({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      Tags: [
        { Key: 'team', Value: 'core' },
        { Key: 'app', Value: 'eddy' },
      ],
    });
  });

  it('maps a Binary PrimaryKey to B and rejects other types', () => {
    const [table] = tablesOf(
      '\n  T: {Type: AWS::Serverless::SimpleTable, Properties: {PrimaryKey: {Name: k, Type: Binary}}}',
    );
    expect(table?.createTableInput.AttributeDefinitions).toEqual([
      { AttributeName: 'k', AttributeType: 'B' },
    ]);
    const error = errorOf(
      `${SAM}Resources:\n  T: {Type: AWS::Serverless::SimpleTable, Properties: {PrimaryKey: {Name: k, Type: S}}}\n`,
    );
    expect(error.location).toBe('Resources.T.Properties.PrimaryKey.Type');
    expect(error.problem).toBe('Type must be String, Number or Binary');
  });

  it('defaults BillingMode to PROVISIONED and then requires ProvisionedThroughput', () => {
    const error = errorOf(
      `Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}]}}\n`,
    );
    expect(error.location).toBe('Resources.T.Properties.ProvisionedThroughput');
    expect(error.problem).toBe(
      'ProvisionedThroughput is required when BillingMode is PROVISIONED (the default)',
    );
  });

  it('requires KeySchema', () => {
    const error = errorOf(
      'Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {BillingMode: PAY_PER_REQUEST}}\n',
    );
    expect(error.location).toBe('Resources.T.Properties.KeySchema');
  });

  it('requires StreamViewType in StreamSpecification', () => {
    const error = errorOf(
      'Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {BillingMode: PAY_PER_REQUEST, KeySchema: [], StreamSpecification: {}}}\n',
    );
    expect(error.location).toBe('Resources.T.Properties.StreamSpecification.StreamViewType');
    expect(error.problem).toBe('StreamViewType is required');
  });

  it('maps SSE, TTL and throughput of indexes, and drops what CreateTable does not take', () => {
    const [table] = tablesOf(`
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      ProvisionedThroughput: {ReadCapacityUnits: '1', WriteCapacityUnits: 1}
      GlobalSecondaryIndexes:
        - {IndexName: g, KeySchema: [], Projection: {ProjectionType: KEYS_ONLY}, ProvisionedThroughput: {ReadCapacityUnits: '4', WriteCapacityUnits: 4}}
      LocalSecondaryIndexes: [{IndexName: l}]
      SSESpecification: {SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: alias/k}
      TableClass: STANDARD_INFREQUENT_ACCESS
      TimeToLiveSpecification: {AttributeName: ttl, Enabled: false}
      KinesisStreamSpecification: {StreamArn: !ImportValue not-resolved}
      ContributorInsightsSpecification: {Enabled: true}
      ResourcePolicy: {PolicyDocument: {}}`);
    expect(table).toEqual({
      logicalId: 'T',
      createTableInput: {
        TableName: 'eddy-T',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'g',
            KeySchema: [],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 4 },
          },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'l' }],
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: 'alias/k' },
        TableClass: 'STANDARD_INFREQUENT_ACCESS',
      },
      timeToLive: { AttributeName: 'ttl', Enabled: false },
    });
  });

  it('requires AttributeName when TTL is enabled', () => {
    const error = errorOf(
      'Resources:\n  T: {Type: AWS::DynamoDB::Table, Properties: {BillingMode: PAY_PER_REQUEST, KeySchema: [], TimeToLiveSpecification: {Enabled: true}}}\n',
    );
    expect(error.location).toBe('Resources.T.Properties.TimeToLiveSpecification.AttributeName');
  });

  it('skips resources whose Condition is false', () => {
    const resources = `
  Always: {Type: AWS::Serverless::SimpleTable}
  ProdOnly: {Type: AWS::Serverless::SimpleTable, Condition: IsProd}`;
    const yaml = `${SAM}Parameters: {Stage: {Type: String, Default: dev}}\nConditions: {IsProd: !Equals [!Ref Stage, prod]}\nResources:${resources}\n`;
    expect(parse(yaml).tables.map(({ logicalId }) => logicalId)).toEqual(['Always']);
    expect(
      parse(yaml, { parameterOverrides: { Stage: 'prod' } }).tables.map(({ logicalId }) => logicalId),
    ).toEqual(['Always', 'ProdOnly']);
  });

  it('rejects two tables with the same name', () => {
    const error = errorOf(
      `${SAM}Resources:\n  A: {Type: AWS::Serverless::SimpleTable, Properties: {TableName: t}}\n  B: {Type: AWS::Serverless::SimpleTable, Properties: {TableName: t}}\n`,
    );
    expect(error.location).toBe('Resources.B.Properties.TableName');
    expect(error.problem).toBe('table name t is also the table name of A');
  });
});

describe('template structure', () => {
  it('requires the SAM Transform when Serverless resources are used', () => {
    const error = errorOf(withFunction().replace(SAM, ''));
    expect(error.location).toBe('Transform');
    expect(error.message).toBe(
      `${join(dir, 'template.yaml')}: Transform: resource Fn is SAM syntax and needs 'Transform: AWS::Serverless-2016-10-31'`,
    );
  });

  it('requires the SAM Transform for Globals', () => {
    const error = errorOf(`Globals:\n  Function: {Timeout: 3}\nResources:${ORDERS_TABLE}\n`);
    expect(error.problem).toBe(
      "the Globals section is SAM syntax and needs 'Transform: AWS::Serverless-2016-10-31'",
    );
  });

  it('accepts the Transform in a list and plain CloudFormation without it', () => {
    const listed = withFunction().replace(
      SAM,
      'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n',
    );
    expect(parse(listed).functions).toHaveLength(1);
    expect(parse(`Resources:${ORDERS_TABLE}\n`).tables).toHaveLength(1);
  });

  it('requires Resources', () => {
    expect(errorOf('Description: nothing\n').location).toBe('Resources');
  });

  it('requires a map at the top', () => {
    expect(errorOf('- a\n').message).toBe(
      `${join(dir, 'template.yaml')}: a template must be a YAML map with a Resources section`,
    );
  });

  it('rejects a logical ID that is not alphanumeric, such as __proto__', () => {
    const error = errorOf(`Resources:\n  __proto__: {Type: AWS::SQS::Queue}\n`);
    expect(error.location).toBe('Resources.__proto__');
    expect(error.problem).toBe('a logical ID must be alphanumeric (A-Za-z0-9)');
  });

  it('requires a Type on every resource', () => {
    const error = errorOf('Resources:\n  Q: {Properties: {}}\n');
    expect(error.location).toBe('Resources.Q');
    expect(error.problem).toBe('a resource must be a map with a Type');
  });

  it('rejects an override for a parameter the template does not have', () => {
    const error = errorOf(`Resources:${ORDERS_TABLE}\n`, { parameterOverrides: { Stage: 'x' } });
    expect(error.location).toBe('Parameters');
    expect(error.problem).toBe(
      'parameter override Stage: the template has no parameter Stage (it declares no Parameters)',
    );
  });

  it("names the template's Parameters when an override names another", () => {
    const yaml = `Parameters:\n  Env: {Type: String}\n  PeerRegion: {Type: String, Default: ''}\nResources:${ORDERS_TABLE}\n`;
    const error = errorOf(yaml, { parameterOverrides: { Stage: 'x' } });
    expect(error.problem).toBe(
      'parameter override Stage: the template has no parameter Stage (its Parameters: Env, PeerRegion)',
    );
  });

  it('ignores resources of other types without resolving them', () => {
    const yaml = `Resources:${ORDERS_TABLE}\n  Other: {Type: AWS::IAM::Role, Properties: {X: !ImportValue y}}\n  Fn2: {Type: AWS::Lambda::Function, Properties: {Code: !GetAZs ''}}\n`;
    const template = parse(yaml);
    expect(template.tables).toHaveLength(1);
    expect(template.functions).toEqual([]);
  });
});

describe('parseTemplate reports every problem at once', () => {
  it('collects the problems of several resources and events in one TemplateErrors, in template order', () => {
    const yaml = `${SAM}Resources:${ORDERS_TABLE}
  Bad:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
  Fn:
    Type: AWS::Serverless::Function
    Metadata: {BuildMethod: esbuild}
    Properties:
      Runtime: nodejs22.x
      Handler: root.handler
      Events:
        One: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn}}
        Two: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, Queue: x}}
  Fn2:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: root.handler, Events: {S: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}}}}
`;
    const error = errorOf(yaml);
    expect(error).toBeInstanceOf(TemplateErrors);
    expect((error as TemplateErrors).errors.map((e) => e.location)).toEqual([
      'Resources.Bad.Properties.KeySchema',
      'Resources.Fn.Properties.Events.One.Properties.StartingPosition',
      'Resources.Fn.Properties.Events.Two.Properties.Queue',
      'Resources.Fn2.Properties.Runtime',
    ]);
    // The first problem is the error's own, and the message lists them all, a line each.
    expect(error.location).toBe('Resources.Bad.Properties.KeySchema');
    expect(error.message.split('\n')).toHaveLength(4);
  });

  it("runs the caller's check of each event's properties and reports each problem at its property", () => {
    const error = errorOf(
      withFunction({ event: '{Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, BatchSize: 0}' }),
      {
        checkEventProperties: (properties) =>
          properties.BatchSize === 0 ? [{ property: 'BatchSize', problem: 'must be from 1' }] : [],
      },
    );
    expect(error.location).toBe(`${EVENT_LOCATION}.BatchSize`);
    expect(error.problem).toBe('must be from 1');
    expect(error).not.toBeInstanceOf(TemplateErrors);
  });
});
