import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../local-runtime/template/cfnYaml.js';
import { loadTemplate } from '../../../local-runtime/template/loadTemplate.js';
import { resolveIntrinsics } from '../../../local-runtime/template/resolveIntrinsics.js';

// template.yaml as `sam deploy` reads it, checked two ways: against AWS's own JSON schema of SAM templates
// (test/fixtures/sam, copied verbatim from aws/serverless-application-model), and against the rules the
// examples promise: least privilege, one on-failure queue per mapping, esbuild builds, the shared Globals.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE_PATH = join(ROOT, 'template.yaml');
const SCHEMA_PATH = join(ROOT, 'test/fixtures/sam/sam.schema.json');

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const node = (value: unknown, what: string): Node => {
  if (!isNode(value)) throw new Error(`${what} is not a map`);
  return value;
};

/** template.yaml with its CloudFormation short forms in their long form (`!Ref X` → `{ Ref: X }`). */
const readTemplate = (): Node =>
  node(parseCfnYaml(readFileSync(TEMPLATE_PATH, 'utf8'), TEMPLATE_PATH), 'template.yaml');

/**
 * The schema declares draft-04, which ajv 8 does not ship; it uses only keywords whose meaning draft-04 and
 * draft-07 share (the test below keeps it so), so ajv validates it as draft-07. SAM's own annotations
 * (`__samPassThrough`, `markdownDescription`) are unknown keywords, which non-strict ajv ignores.
 */
const SHARED_KEYWORDS = new Set([
  '$schema',
  '$ref',
  'definitions',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'type',
  'items',
  'enum',
  'pattern',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
]);
const ANNOTATIONS = new Set([
  'title',
  'description',
  'markdownDescription',
  '__samPassThrough',
  'markdownDescriptionOverride',
  'schemaPath',
]);

/** Every keyword the schema uses, skipping the names under `properties`/`definitions`. */
const keywordsOf = (schema: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(schema)) {
    for (const item of schema) keywordsOf(item, found);
  } else if (isNode(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      found.add(key);
      if (ANNOTATIONS.has(key)) continue;
      if (key === 'properties' || key === 'definitions' || key === 'patternProperties') {
        for (const sub of Object.values(node(value, key))) keywordsOf(sub, found);
      } else keywordsOf(value, found);
    }
  }
  return found;
};

let schema: Node;
let validate: (template: unknown) => readonly ErrorObject[];

beforeAll(() => {
  schema = node(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')), 'sam.schema.json');
  const { $schema: _draft04, ...draft07 } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const compiled = ajv.compile(draft07);
  validate = (template) => (compiled(template) ? [] : [...(compiled.errors ?? [])]);
});

/** ajv's errors for `anyOf` over every resource type are long; the deepest ones say what is wrong. */
const describeErrors = (errors: readonly ErrorObject[]): string =>
  errors
    .map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`)
    .slice(0, 15)
    .join('\n');

describe('template.yaml against the SAM JSON schema', () => {
  it('uses a copy of the schema that names its source, and only keywords draft-04 and draft-07 share', () => {
    const readme = readFileSync(join(ROOT, 'test/fixtures/sam/README.md'), 'utf8');
    expect(readme).toMatch(/aws\/serverless-application-model:schema_source\/sam\.schema\.json/);
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    const unknown = [...keywordsOf(schema)].filter((k) => !SHARED_KEYWORDS.has(k) && !ANNOTATIONS.has(k));
    expect(unknown).toEqual([]);
  });

  it('is a valid SAM template', () => {
    const errors = validate(readTemplate());
    expect(errors, describeErrors(errors)).toEqual([]);
  });

  it.each([
    [
      'a misspelt DynamoDB event property',
      (t: Node) => {
        const event = eventsOf(t, 'OrdersProjectionFunction').OrdersStream as Node;
        const properties = node(event.Properties, 'Properties');
        properties.BatchSze = properties.BatchSize;
      },
    ],
    ['Policies in Globals (SAM refuses it)', (t: Node) => Object.assign(globalFunction(t), { Policies: [] })],
    [
      'an event without its Type',
      (t: Node) => delete (eventsOf(t, 'CustomerTotalsFunction').OrdersStream as Node).Type,
    ],
    [
      'a property SAM functions do not have',
      (t: Node) => Object.assign(propertiesOf(t, 'OrdersReplicatorFunction'), { Roles: [] }),
    ],
  ])('refuses %s (the validation has teeth)', (_, mutate) => {
    const template = readTemplate();
    mutate(template);
    expect(validate(template).length).toBeGreaterThan(0);
  });
});

// --- The rules of the examples ---------------------------------------------------------------------------

const resourcesOf = (t: Node): Node => node(t.Resources, 'Resources');
const resourceOf = (t: Node, logicalId: string): Node => node(resourcesOf(t)[logicalId], logicalId);
const propertiesOf = (t: Node, logicalId: string): Node =>
  node(resourceOf(t, logicalId).Properties, `${logicalId}.Properties`);
const eventsOf = (t: Node, logicalId: string): Node => node(propertiesOf(t, logicalId).Events, 'Events');
const globalFunction = (t: Node): Node => node(node(t.Globals, 'Globals').Function, 'Globals.Function');

const functionIds = (t: Node): string[] =>
  Object.entries(resourcesOf(t))
    .filter(([, resource]) => isNode(resource) && resource.Type === 'AWS::Serverless::Function')
    .map(([id]) => id);

/** A resource's Type; undefined for a parameter. */
const typeOf = (t: Node, logicalId: string): unknown => {
  const resource = resourcesOf(t)[logicalId];
  return isNode(resource) ? resource.Type : undefined;
};

/** The logical id a `{ Ref: X }` names. */
const refOf = (value: unknown): string | undefined =>
  isNode(value) && typeof value.Ref === 'string' ? value.Ref : undefined;

/** The logical id a `{ 'Fn::GetAtt': [X, attribute] }` names. */
const getAttOf = (value: unknown, attribute: string): string | undefined => {
  const args = isNode(value) ? value['Fn::GetAtt'] : undefined;
  return Array.isArray(args) && args[1] === attribute ? String(args[0]) : undefined;
};

/** The orders table of the PeerRegion, as an `Fn::Sub` (CloudFormation's `${…}`, not JavaScript's). */
const PEER_TABLE_ARN = `arn:\${AWS::Partition}:dynamodb:\${PeerRegion}:\${AWS::AccountId}:table/\${OrdersTable}`;

interface Access {
  /** Tables the function writes: its own Environment variables that `!Ref` a table. */
  writes: string[];
  /** Tables whose streams feed its events. */
  streams: string[];
  /** Its events' on-failure queues. */
  queues: string[];
  /** Whether it writes to the PeerRegion's copy of a table (a PEER_REGION variable). */
  peer: boolean;
}

/** What a function touches, read from the template: its environment, its events, their destinations. */
const accessOf = (t: Node, logicalId: string): Access => {
  const variables = node(node(propertiesOf(t, logicalId).Environment, 'Environment').Variables, 'Variables');
  const events = Object.values(eventsOf(t, logicalId)).map((e) => node(node(e, 'event').Properties, 'event'));
  return {
    writes: Object.values(variables)
      .map(refOf)
      .filter((id): id is string => id !== undefined && typeOf(t, id) === 'AWS::DynamoDB::Table')
      .sort(),
    streams: events.map((e) => getAttOf(e.Stream, 'StreamArn') as string).sort(),
    queues: events
      .map((e) => {
        const onFailure = node(node(e.DestinationConfig, 'DestinationConfig').OnFailure, 'OnFailure');
        return getAttOf(onFailure.Destination, 'Arn') as string;
      })
      .sort(),
    peer: refOf(variables.PEER_REGION) === 'PeerRegion',
  };
};

/** What a function's Policies grant, by kind of grant. */
const grantsOf = (t: Node, logicalId: string) => {
  const grants = {
    crud: [] as string[],
    streams: [] as string[],
    queues: [] as string[],
    other: [] as Node[],
  };
  const policies = propertiesOf(t, logicalId).Policies;
  if (!Array.isArray(policies)) throw new Error(`${logicalId} has no Policies list`);
  for (const policy of policies.map((p) => node(p, 'policy'))) {
    const [[name, parameters]] = Object.entries(policy) as [[string, unknown]];
    const p = isNode(parameters) ? parameters : {};
    if (name === 'DynamoDBCrudPolicy' && Object.keys(policy).length === 1) {
      grants.crud.push(refOf(p.TableName) as string);
    } else if (name === 'DynamoDBStreamReadPolicy' && Object.keys(policy).length === 1) {
      const table = refOf(p.TableName) as string;
      // StreamName is the stream label: the 4th '/'-separated part of the table's own stream ARN.
      expect(p.StreamName, `${logicalId}: StreamName of ${table}`).toEqual({
        'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [table, 'StreamArn'] }] }],
      });
      grants.streams.push(table);
    } else if (name === 'SQSSendMessagePolicy' && Object.keys(policy).length === 1) {
      grants.queues.push(getAttOf(p.QueueName, 'QueueName') as string);
    } else grants.other.push(policy);
  }
  return {
    crud: grants.crud.sort(),
    streams: grants.streams.sort(),
    queues: grants.queues.sort(),
    other: grants.other,
  };
};

/** The env variables a handler's source reads (the entry file and the files of `handlers/` it imports). */
const variablesRead = (entry: string, seen = new Set<string>()): Set<string> => {
  const names = new Set<string>();
  if (seen.has(entry)) return names;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const [, env, required] of source.matchAll(/process\.env\.([A-Z_]+)|environment\('([A-Z_]+)'\)/g)) {
    names.add((env ?? required) as string);
  }
  for (const [, local] of source.matchAll(/from '\.\/([\w.]+)\.js'/g)) {
    for (const name of variablesRead(join(dirname(entry), `${local}.ts`), seen)) names.add(name);
  }
  return names;
};

describe('template.yaml: the examples', () => {
  const template = readTemplate();

  it('deploys the three example handlers', () => {
    expect(functionIds(template).sort()).toEqual([
      'CustomerTotalsFunction',
      'OrdersProjectionFunction',
      'OrdersReplicatorFunction',
    ]);
  });

  // Written out by hand so that the derivation below cannot agree with a template that is wrong in two places.
  it.each([
    ['OrdersProjectionFunction', ['OrderViewTable'], ['OrdersProjectionFailures'], false],
    ['CustomerTotalsFunction', ['CustomerTotalsTable'], ['CustomerTotalsFailures'], false],
    ['OrdersReplicatorFunction', ['OrdersTable'], ['OrdersReplicatorFailures'], true],
  ])('%s writes %j, reads the orders stream, fails over to %j', (logicalId, writes, queues, peer) => {
    expect(accessOf(template, logicalId)).toEqual({ writes, streams: ['OrdersTable'], queues, peer });
  });

  it.each(functionIds(template))(
    '%s: its policies name exactly the tables, stream and queue it touches (least privilege)',
    (logicalId) => {
      const access = accessOf(template, logicalId);
      const grants = grantsOf(template, logicalId);
      expect(grants.crud).toEqual(access.writes);
      expect(grants.streams).toEqual(access.streams);
      expect(grants.queues).toEqual(access.queues);
      // The grants a policy template cannot express: the peer region's copy of the table, put only; the view's
      // PartiQL writes (project's default writes: 'statements'), on the view table only.
      expect(grants.other).toEqual([
        ...(access.peer
          ? [
              {
                Statement: [
                  {
                    Sid: 'PutOrdersInThePeerRegion',
                    Effect: 'Allow',
                    Action: 'dynamodb:PutItem',
                    Resource: { 'Fn::Sub': PEER_TABLE_ARN },
                  },
                ],
              },
            ]
          : []),
        ...(logicalId === 'OrdersProjectionFunction'
          ? [
              {
                Statement: [
                  {
                    Sid: 'WriteViewRowsWithPartiQL',
                    Effect: 'Allow',
                    Action: ['dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
                    Resource: { 'Fn::GetAtt': ['OrderViewTable', 'Arn'] },
                  },
                ],
              },
            ]
          : []),
      ]);
      // The policies are given per function: none in Globals, no Role that would bypass them.
      expect(Object.keys(globalFunction(template))).not.toContain('Policies');
      expect(Object.keys(propertiesOf(template, logicalId))).not.toContain('Role');
    },
  );

  it.each(functionIds(template))(
    '%s: its handler reads only variables the template sets (the tables it touches come from them)',
    (logicalId) => {
      const properties = propertiesOf(template, logicalId);
      const given = new Set([
        ...Object.keys(node(node(properties.Environment, 'Environment').Variables, 'Variables')),
        ...Object.keys(node(node(globalFunction(template).Environment, 'Env').Variables, 'Variables')),
        'AWS_REGION', // Lambda's own
      ]);
      const entry = node(node(resourceOf(template, logicalId).Metadata, 'Metadata').BuildProperties, 'BP')
        .EntryPoints as string[];
      const read = [...variablesRead(join(ROOT, entry[0] as string))];
      expect(read.length).toBeGreaterThan(0);
      expect(read.filter((name) => !given.has(name))).toEqual([]);
    },
  );

  it('gives each event source mapping its own SQS on-failure queue', () => {
    const queues = functionIds(template).flatMap((id) => {
      return Object.values(eventsOf(template, id)).map((event) => {
        const onFailure = node(
          node(node(node(event, 'event').Properties, 'Properties').DestinationConfig, 'DC').OnFailure,
          'OnFailure',
        );
        expect(onFailure.Type).toBe('SQS');
        const queue = getAttOf(onFailure.Destination, 'Arn') as string;
        expect(typeOf(template, queue)).toBe('AWS::SQS::Queue');
        // The queue exists exactly when its function does.
        expect(resourceOf(template, queue).Condition).toBe(resourceOf(template, id).Condition);
        return queue;
      });
    });
    expect(new Set(queues).size).toBe(queues.length);
    expect(queues).toHaveLength(3);
  });

  it('shares runtime, timeout, memory, architecture and environment through Globals', () => {
    const globals = globalFunction(template);
    expect(globals).toMatchObject({
      Runtime: 'nodejs24.x',
      Timeout: expect.any(Number),
      MemorySize: expect.any(Number),
      Architectures: [expect.stringMatching(/^(arm64|x86_64)$/)],
      Environment: { Variables: { BOOKKEEPING_TTL_DAYS: expect.any(String) } },
    });
    for (const id of functionIds(template)) {
      for (const key of ['Runtime', 'Timeout', 'MemorySize', 'Architectures']) {
        expect(Object.keys(propertiesOf(template, id)), `${id} repeats ${key}`).not.toContain(key);
      }
    }
  });

  it.each(functionIds(template))('%s is built with esbuild from its handler file (Metadata)', (logicalId) => {
    const metadata = node(resourceOf(template, logicalId).Metadata, 'Metadata');
    expect(metadata.BuildMethod).toBe('esbuild');
    const build = node(metadata.BuildProperties, 'BuildProperties');
    const handler = String(propertiesOf(template, logicalId).Handler);
    const module = handler.slice(0, handler.lastIndexOf('.'));
    expect(build.EntryPoints).toEqual([`handlers/${module}.ts`]);
    expect(readFileSync(join(ROOT, `handlers/${module}.ts`), 'utf8')).toMatch(/export const handler\b/);
    expect(build).toMatchObject({ Format: 'esm', OutExtension: ['.js=.mjs'], Sourcemap: true });
  });

  it('streams both images of the orders table (the aggregate and the replicator need the old one)', () => {
    expect(propertiesOf(template, 'OrdersTable').StreamSpecification).toEqual({
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });

  it('lets the TTL collect bookkeeping rows on the attribute the handlers write', () => {
    const ttlSource = readFileSync(join(ROOT, 'handlers/bookkeepingTtl.ts'), 'utf8');
    const attribute = /attribute: '(\w+)'/.exec(ttlSource)?.[1];
    for (const table of ['OrdersTable', 'OrderViewTable', 'CustomerTotalsTable']) {
      expect(propertiesOf(template, table).TimeToLiveSpecification).toEqual({
        AttributeName: attribute,
        Enabled: true,
      });
    }
  });

  it('names the stream label as StreamName: the 4th part of a real stream ARN split on "/"', () => {
    const streamArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-04T10:00:00.000';
    const streamName = node(
      node((propertiesOf(template, 'OrdersProjectionFunction').Policies as Node[])[1], 'policy')
        .DynamoDBStreamReadPolicy,
      'DynamoDBStreamReadPolicy',
    ).StreamName;
    const withArn = JSON.parse(
      JSON.stringify(streamName).replace(
        JSON.stringify({ 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] }),
        JSON.stringify(streamArn),
      ),
    );
    const context = {
      templatePath: 'template.yaml',
      stackName: 'eddy',
      region: 'us-east-1',
      accountId: '123456789012',
      parameters: {},
      parameterOverrides: {},
      mappings: {},
      conditions: {},
      resources: {},
    };
    expect(resolveIntrinsics(withArn, 'StreamName', context)).toBe('2026-01-04T10:00:00.000');
  });

  it('creates the replicator only with a PeerRegion, and hands it the peer and the table', async () => {
    const alone = await loadTemplate(TEMPLATE_PATH, { region: 'us-east-1' });
    expect(alone.functions.map((f) => f.logicalId).sort()).toEqual([
      'CustomerTotalsFunction',
      'OrdersProjectionFunction',
    ]);
    const paired = await loadTemplate(TEMPLATE_PATH, {
      region: 'us-east-1',
      parameterOverrides: { PeerRegion: 'eu-west-1' },
    });
    const replicator = paired.functions.find((f) => f.logicalId === 'OrdersReplicatorFunction');
    expect(replicator?.environment).toMatchObject({
      ORDERS_TABLE: 'orders',
      PEER_REGION: 'eu-west-1',
      BOOKKEEPING_TTL_DAYS: '7',
    });
    expect(replicator?.events[0]?.properties.FilterCriteria).toEqual({
      Filters: [
        { Pattern: '{"dynamodb":{"NewImage":{"eddy_origin":{"S":["us-east-1"]}}}}' },
        { Pattern: '{"dynamodb":{"NewImage":{"eddy_origin":{"S":[{"exists":false}]}}}}' },
      ],
    });
    await expect(
      loadTemplate(TEMPLATE_PATH, { parameterOverrides: { PeerRegion: 'not a region' } }),
    ).rejects.toThrow(/Parameters.PeerRegion: 'not a region' does not match the AllowedPattern/);
  });
});
