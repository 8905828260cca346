import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../../local-runtime/template/cfnYaml.js';
import {
  createIntrinsicResolver,
  type IntrinsicContext,
  isStreamArnMarker,
  resolveIntrinsics,
} from '../../../../local-runtime/template/resolveIntrinsics.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

const TEMPLATE = `
Parameters:
  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Size: {Type: Number, Default: 10}
  Names: {Type: CommaDelimitedList, Default: 'a, b ,c'}
  Required: {Type: String}
  Secret: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /eddy/secret}
  Prefix: {Type: String, Default: ord, AllowedPattern: '[a-z]+', ConstraintDescription: lower-case letters}
  Flag: {Type: String, Default: true}
Mappings:
  StageConfig:
    dev: {BatchSize: 10, Zones: [a, b]}
    prod: {BatchSize: 100}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsDev, !Equals [!Ref Size, 10]]
  Either: !Or [!Condition IsProd, !Equals [!Ref Size, '10']]
  Neither: !Or [!Condition IsProd, !Equals [!Ref Names, [x]]]
  Loop1: !Condition Loop2
  Loop2: !Not [!Condition Loop1]
  Broken: !If [IsProd, a, b]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties: {StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}}
  View:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: !Sub '\${AWS::StackName}-view-\${Stage}'}
  Simple: {Type: AWS::Serverless::SimpleTable}
  Dlq: {Type: AWS::SQS::Queue}
  Fifo: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true}}
  Named: {Type: AWS::SQS::Queue, Properties: {QueueName: named-q}}
  Alerts: {Type: AWS::SNS::Topic}
  Fn: {Type: AWS::Serverless::Function, Properties: {FunctionName: orders-fn}}
  Bucket: {Type: AWS::S3::Bucket}
  Role: {Type: AWS::IAM::Role}
  ProdOnly: {Type: AWS::SQS::Queue, Condition: IsProd}
  SelfNamed: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt SelfNamed.QueueName}}
  BadName: {Type: AWS::SQS::Queue, Properties: {QueueName: [a]}}
`;

const LOCATION = 'Resources.OrdersFunction.Properties.Environment.Variables.X';

const contextOf = (overrides: Partial<IntrinsicContext> = {}): IntrinsicContext => {
  const root = parseCfnYaml(TEMPLATE, 'template.yaml') as Record<string, Record<string, unknown>>;
  return {
    templatePath: 'template.yaml',
    stackName: 'eddy',
    region: 'us-east-1',
    accountId: '000000000000',
    parameters: root.Parameters ?? {},
    parameterOverrides: {},
    mappings: root.Mappings ?? {},
    conditions: root.Conditions ?? {},
    resources: root.Resources ?? {},
    ...overrides,
  };
};

/** Resolves a YAML value (short forms allowed) against TEMPLATE. */
const resolve = (yaml: string, overrides: Partial<IntrinsicContext> = {}): unknown => {
  const value = (parseCfnYaml(`V: ${yaml}`, 'template.yaml') as Record<string, unknown>).V;
  return createIntrinsicResolver(contextOf(overrides)).resolve(value, LOCATION);
};

const errorOf = (yaml: string, overrides: Partial<IntrinsicContext> = {}): TemplateError => {
  try {
    resolve(yaml, overrides);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected a TemplateError for ${yaml}`);
};

describe('Ref of parameters', () => {
  it('uses the Default', () => {
    expect(resolve('!Ref Stage')).toBe('dev');
  });

  it('uses an override over the Default', () => {
    expect(resolve('!Ref Stage', { parameterOverrides: { Stage: 'prod' } })).toBe('prod');
  });

  it('gives a Number parameter as a number, from a Default or an override', () => {
    expect(resolve('!Ref Size')).toBe(10);
    expect(resolve('!Ref Size', { parameterOverrides: { Size: '25' } })).toBe(25);
  });

  it('gives a String parameter with a non-string Default as a string', () => {
    expect(resolve('!Ref Flag')).toBe('true');
  });

  it('splits a CommaDelimitedList and trims its members', () => {
    expect(resolve('!Ref Names')).toEqual(['a', 'b', 'c']);
  });

  it('fails where a parameter without Default or override is used', () => {
    const error = errorOf('!Ref Required');
    expect(error.location).toBe(LOCATION);
    expect(error.message).toBe(
      `template.yaml: ${LOCATION}: parameter Required has no Default and no value was given in the parameter overrides`,
    );
  });

  it('fails on an SSM parameter unless it is overridden', () => {
    expect(errorOf('!Ref Secret').problem).toContain('is read from SSM Parameter Store on AWS');
    expect(resolve('!Ref Secret', { parameterOverrides: { Secret: 's3cret' } })).toBe('s3cret');
  });

  it('checks AllowedValues', () => {
    const error = errorOf('!Ref Stage', { parameterOverrides: { Stage: 'qa' } });
    expect(error.location).toBe('Parameters.Stage');
    expect(error.problem).toBe("'qa' is not one of the AllowedValues: dev, prod");
  });

  it('checks AllowedPattern and shows the ConstraintDescription', () => {
    const error = errorOf('!Ref Prefix', { parameterOverrides: { Prefix: 'ABC' } });
    expect(error.location).toBe('Parameters.Prefix');
    expect(error.problem).toBe("'ABC' does not match the AllowedPattern [a-z]+ (lower-case letters)");
  });

  it('rejects a Number parameter that is not a number', () => {
    const error = errorOf('!Ref Size', { parameterOverrides: { Size: 'many' } });
    expect(error.location).toBe('Parameters.Size');
    expect(error.problem).toBe("'many' is not a Number");
  });

  it('fails on a name that is neither parameter, resource nor pseudo parameter', () => {
    expect(errorOf('!Ref Missing').problem).toBe(
      'Ref Missing: there is no parameter, resource or pseudo parameter named Missing',
    );
  });

  it('fails on a Ref without a name', () => {
    expect(errorOf('{Ref: [a]}').problem).toBe('Ref needs a parameter or logical ID');
  });
});

describe('pseudo parameters', () => {
  it.each([
    ['AWS::Region', 'eu-west-1'],
    ['AWS::AccountId', '123456789012'],
    ['AWS::StackName', 'shop'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    [
      'AWS::StackId',
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/00000000-0000-0000-0000-000000000000',
    ],
    ['AWS::NotificationARNs', []],
  ])('resolves %s', (name, expected) => {
    const context = { region: 'eu-west-1', accountId: '123456789012', stackName: 'shop' };
    expect(resolve(`!Ref ${name}`, context)).toEqual(expected);
  });

  it('derives the partition from a China or GovCloud region', () => {
    expect(resolve(`!Sub "\${AWS::Partition} \${AWS::URLSuffix}"`, { region: 'cn-north-1' })).toBe(
      'aws-cn amazonaws.com.cn',
    );
    expect(resolve('!Ref AWS::Partition', { region: 'us-gov-west-1' })).toBe('aws-us-gov');
  });

  it('removes a key whose value is AWS::NoValue', () => {
    expect(resolve('{A: 1, B: !Ref AWS::NoValue}')).toEqual({ A: 1 });
  });

  it('removes a list item whose value is AWS::NoValue', () => {
    expect(resolve('[a, !If [IsProd, b, !Ref AWS::NoValue]]')).toEqual(['a']);
  });

  it('resolves a top-level AWS::NoValue to undefined', () => {
    expect(resolve('!Ref AWS::NoValue')).toBeUndefined();
  });

  it('fails on an unknown pseudo parameter', () => {
    expect(errorOf('!Ref AWS::Nope').problem).toBe('Ref AWS::Nope: unknown pseudo parameter AWS::Nope');
  });
});

describe('Ref of resources', () => {
  it.each([
    ['Orders', 'eddy-Orders'],
    ['View', 'eddy-view-dev'],
    ['Simple', 'eddy-Simple'],
    ['Dlq', 'http://sqs.us-east-1.localhost/000000000000/eddy-Dlq'],
    ['Fifo', 'http://sqs.us-east-1.localhost/000000000000/eddy-Fifo.fifo'],
    ['Named', 'http://sqs.us-east-1.localhost/000000000000/named-q'],
    ['Alerts', 'arn:aws:sns:us-east-1:000000000000:eddy-Alerts'],
    ['Fn', 'orders-fn'],
    ['Bucket', 'eddy-bucket'],
  ])('resolves Ref %s', (logicalId, expected) => {
    expect(resolve(`!Ref ${logicalId}`)).toBe(expected);
  });

  it('uses the stack name in generated names', () => {
    expect(resolve('!Ref Orders', { stackName: 'shop' })).toBe('shop-Orders');
  });

  it('fails on a resource type it cannot name locally', () => {
    const error = errorOf('!Ref Role');
    expect(error.location).toBe(LOCATION);
    expect(error.problem).toBe('Ref Role: a AWS::IAM::Role cannot be resolved locally');
  });

  it('fails on a resource whose Condition is false', () => {
    expect(errorOf('!Ref ProdOnly').problem).toBe(
      'Ref ProdOnly: ProdOnly is not created because its Condition is false',
    );
    expect(resolve('!Ref ProdOnly', { parameterOverrides: { Stage: 'prod' } })).toBe(
      'http://sqs.us-east-1.localhost/000000000000/eddy-ProdOnly',
    );
  });

  it('fails on a name that depends on itself', () => {
    const error = errorOf('!Ref SelfNamed');
    expect(error.location).toBe('Resources.SelfNamed.Properties');
    expect(error.problem).toBe('the name of SelfNamed depends on itself');
  });

  it('fails on a name property that is not a string', () => {
    const error = errorOf('!Ref BadName');
    expect(error.location).toBe('Resources.BadName.Properties.QueueName');
    expect(error.problem).toBe('QueueName must be a string, got a list');
  });
});

describe('Fn::GetAtt', () => {
  it.each([
    ['Orders.Arn', 'arn:aws:dynamodb:us-east-1:000000000000:table/eddy-Orders'],
    ['View.Arn', 'arn:aws:dynamodb:us-east-1:000000000000:table/eddy-view-dev'],
    ['Simple.Arn', 'arn:aws:dynamodb:us-east-1:000000000000:table/eddy-Simple'],
    ['Dlq.Arn', 'arn:aws:sqs:us-east-1:000000000000:eddy-Dlq'],
    ['Dlq.QueueName', 'eddy-Dlq'],
    ['Dlq.QueueUrl', 'http://sqs.us-east-1.localhost/000000000000/eddy-Dlq'],
    ['Alerts.TopicArn', 'arn:aws:sns:us-east-1:000000000000:eddy-Alerts'],
    ['Alerts.TopicName', 'eddy-Alerts'],
    ['Fn.Arn', 'arn:aws:lambda:us-east-1:000000000000:function:orders-fn'],
    ['Bucket.Arn', 'arn:aws:s3:::eddy-bucket'],
  ])('resolves %s', (attribute, expected) => {
    expect(resolve(`!GetAtt ${attribute}`)).toBe(expected);
  });

  it('resolves the sequence and JSON string forms', () => {
    expect(resolve('!GetAtt [Dlq, Arn]')).toBe('arn:aws:sqs:us-east-1:000000000000:eddy-Dlq');
    expect(resolve('{"Fn::GetAtt": "Dlq.Arn"}')).toBe('arn:aws:sqs:us-east-1:000000000000:eddy-Dlq');
  });

  it('resolves an attribute name given by Ref', () => {
    expect(
      resolve('!GetAtt [Dlq, !Ref AttributeName]', {
        parameters: { AttributeName: { Type: 'String', Default: 'Arn' } },
      }),
    ).toBe('arn:aws:sqs:us-east-1:000000000000:eddy-Dlq');
  });

  it('resolves a table StreamArn to a marker for the caller', () => {
    const marker = resolve('!GetAtt Orders.StreamArn');
    expect(marker).toEqual({ streamOf: 'Orders' });
    expect(isStreamArnMarker(marker)).toBe(true);
    expect(isStreamArnMarker({ streamOf: 'Orders', other: 1 })).toBe(false);
    expect(isStreamArnMarker('arn')).toBe(false);
  });

  it('fails on the StreamArn of a table without StreamSpecification', () => {
    const error = errorOf('!GetAtt View.StreamArn');
    expect(error.location).toBe(LOCATION);
    expect(error.problem).toBe('table View has no StreamSpecification, so it has no stream');
  });

  it('fails on the StreamArn of a SimpleTable, which never has a stream', () => {
    expect(errorOf('!GetAtt Simple.StreamArn').problem).toBe(
      'table Simple has no StreamSpecification, so it has no stream',
    );
  });

  it('fails on an attribute it does not know, listing the ones it knows', () => {
    expect(errorOf('!GetAtt Orders.Nope').problem).toBe(
      'Fn::GetAtt Orders.Nope: a AWS::DynamoDB::Table has no attribute Nope that can be resolved locally (Arn, StreamArn)',
    );
  });

  it('fails on attributes of other resource types', () => {
    expect(errorOf('!GetAtt Role.Arn').problem).toBe(
      'Fn::GetAtt Role.Arn: attributes of a AWS::IAM::Role cannot be resolved locally',
    );
  });

  it('fails on an unknown resource', () => {
    expect(errorOf('!GetAtt Nope.Arn').problem).toBe('Fn::GetAtt Nope.Arn: there is no resource named Nope');
  });

  it('fails on malformed arguments', () => {
    expect(errorOf('!GetAtt [Orders]').problem).toBe('Fn::GetAtt needs a list of 2 items, got a list');
  });
});

describe('Fn::Sub', () => {
  it('substitutes parameters, pseudo parameters, resources and attributes', () => {
    expect(resolve(`!Sub "\${AWS::StackName}-\${Stage}-\${Size}:\${Orders}:\${Dlq.Arn}"`)).toBe(
      'eddy-dev-10:eddy-Orders:arn:aws:sqs:us-east-1:000000000000:eddy-Dlq',
    );
  });

  it(`keeps \${!Literal} as \${Literal}`, () => {
    expect(resolve(`!Sub "\${!Literal}-\${Stage}"`)).toBe(`\${Literal}-dev`);
  });

  it('uses the variable map first, resolving its values', () => {
    expect(resolve(`!Sub ["\${Stage}/\${Name}", {Stage: custom, Name: !Ref Orders}]`)).toBe(
      'custom/eddy-Orders',
    );
  });

  it('fails on an unknown variable', () => {
    expect(errorOf(`!Sub "x-\${Nope}"`).problem).toBe(
      `Fn::Sub \${Nope}: there is no parameter, resource or pseudo parameter named Nope`,
    );
  });

  it('fails on a stream ARN, which is not known until the table exists', () => {
    expect(errorOf(`!Sub "\${Orders.StreamArn}"`).problem).toContain(
      `Fn::Sub \${Orders.StreamArn} cannot use the stream ARN of Orders locally`,
    );
  });

  it('fails on a list value', () => {
    expect(errorOf(`!Sub "\${Names}"`).problem).toBe(`Fn::Sub \${Names} needs a string here, got a list`);
  });

  it('fails on a variable map that is not a map', () => {
    expect(errorOf('!Sub ["x", [a]]').problem).toBe('Fn::Sub variables must be a map, got a list');
  });
});

describe('Fn::Join, Fn::Select, Fn::Split', () => {
  it('joins strings, numbers and resolved values', () => {
    expect(resolve("!Join [':', [a, 1, !Ref Stage, !GetAtt Dlq.QueueName]]")).toBe('a:1:dev:eddy-Dlq');
  });

  it('joins a list given by Ref', () => {
    expect(resolve("!Join ['+', !Ref Names]")).toBe('a+b+c');
  });

  it('fails on a stream ARN inside Fn::Join, naming the item', () => {
    const error = errorOf("!Join ['', [a, !GetAtt Orders.StreamArn]]");
    expect(error.location).toBe(`${LOCATION}.Fn::Join[1][1]`);
    expect(error.problem).toContain('Fn::Join cannot use the stream ARN of Orders locally');
  });

  it('fails when Fn::Join is not given a list', () => {
    expect(errorOf("!Join ['', !Ref Stage]").problem).toBe('Fn::Join needs a list to join, got dev');
  });

  it('selects from a list, a split and a list parameter', () => {
    expect(resolve('!Select [1, [a, b, c]]')).toBe('b');
    expect(resolve("!Select ['2', !Split [',', 'x,y,z']]")).toBe('z');
    expect(resolve('!Select [0, !Ref Names]')).toBe('a');
  });

  it('selects a stream marker unchanged', () => {
    expect(resolve('!Select [0, [!GetAtt Orders.StreamArn]]')).toEqual({ streamOf: 'Orders' });
  });

  it('fails on an index out of range', () => {
    expect(errorOf('!Select [3, [a, b]]').problem).toBe('Fn::Select index 3 is out of range for a list of 2');
  });

  it('splits a resolved string', () => {
    expect(resolve(`!Split ['-', !Sub '\${AWS::StackName}-x']`)).toEqual(['eddy', 'x']);
  });

  it('fails on an empty Fn::Split delimiter', () => {
    expect(errorOf("!Split ['', abc]").problem).toBe('Fn::Split needs a non-empty string delimiter');
  });
});

describe('Fn::If and Conditions', () => {
  it('chooses a branch by the condition', () => {
    expect(resolve('!If [IsProd, big, small]')).toBe('small');
    expect(resolve('!If [IsProd, big, small]', { parameterOverrides: { Stage: 'prod' } })).toBe('big');
  });

  it('does not resolve the branch it does not take', () => {
    expect(resolve('!If [IsProd, !ImportValue elsewhere, local]')).toBe('local');
  });

  it.each([
    ['IsProd', false],
    ['IsDev', true],
    ['Both', true],
    ['Either', true],
    ['Neither', false],
  ])('evaluates %s (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)', (name, expected) => {
    expect(createIntrinsicResolver(contextOf()).evaluateCondition(name, 'here')).toBe(expected);
  });

  it('fails on conditions that refer to each other', () => {
    const error = errorOf('!If [Loop1, a, b]');
    expect(error.location).toBe('Conditions.Loop1');
    expect(error.problem).toBe('conditions refer to each other in a cycle: Loop1 → Loop2 → Loop1');
  });

  it('fails on an unknown condition', () => {
    const error = errorOf('!If [Nope, a, b]');
    expect(error.location).toBe(LOCATION);
    expect(error.problem).toBe('there is no condition named Nope in Conditions');
  });

  it('fails on a condition that is not a condition function', () => {
    const error = errorOf('!If [Broken, a, b]');
    expect(error.location).toBe('Conditions.Broken');
    expect(error.problem).toBe('a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition');
  });

  it('fails on Fn::If with the wrong number of arguments', () => {
    expect(errorOf('!If [IsProd, a]').problem).toBe('Fn::If needs a list of 3 items, got a list');
  });

  it('fails on condition functions outside Conditions', () => {
    expect(errorOf('!Equals [a, a]').problem).toBe('Fn::Equals can only be used in the Conditions section');
  });
});

describe('Fn::FindInMap and Fn::Base64', () => {
  it('finds a value with keys given by Ref', () => {
    expect(resolve('!FindInMap [StageConfig, !Ref Stage, BatchSize]')).toBe(10);
    expect(resolve('!FindInMap [StageConfig, dev, Zones]')).toEqual(['a', 'b']);
  });

  it.each([
    [
      '[Nope, dev, BatchSize]',
      'Fn::FindInMap [Nope, dev, BatchSize]: there is no mapping named Nope in Mappings',
    ],
    [
      '[StageConfig, qa, BatchSize]',
      'Fn::FindInMap [StageConfig, qa, BatchSize]: mapping StageConfig has no key qa',
    ],
    [
      '[StageConfig, prod, Zones]',
      'Fn::FindInMap [StageConfig, prod, Zones]: StageConfig.prod has no key Zones',
    ],
    [
      '[StageConfig, __proto__, x]',
      'Fn::FindInMap [StageConfig, __proto__, x]: mapping StageConfig has no key __proto__',
    ],
  ])('fails on a missing key: %s', (args, problem) => {
    expect(errorOf(`!FindInMap ${args}`).problem).toBe(problem);
  });

  it('encodes Base64', () => {
    expect(resolve('!Base64 hello')).toBe('aGVsbG8=');
    expect(resolve(`!Base64 {Fn::Sub: "\${Stage}"}`)).toBe(Buffer.from('dev').toString('base64'));
  });
});

describe('what cannot be resolved locally', () => {
  it('names the template path of an Fn::ImportValue', () => {
    const error = errorOf('!ImportValue shared-queue-url');
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.templatePath).toBe('template.yaml');
    expect(error.location).toBe(LOCATION);
    expect(error.message).toMatch(
      /^template\.yaml: Resources\.OrdersFunction\.Properties\.Environment\.Variables\.X: Fn::ImportValue cannot be resolved locally/,
    );
  });

  it.each(['!GetAZs ""', '!Cidr [10.0.0.0/16, 2, 8]', '!Transform {Name: M}'])('rejects %s', (yaml) => {
    expect(errorOf(yaml).problem).toMatch(/^Fn::\w+ cannot be resolved locally \(.+\)$/);
  });

  it('rejects an unknown Fn:: function', () => {
    expect(errorOf('{Fn::Length: [a]}').problem).toBe(
      'Fn::Length is not an intrinsic function eddy can resolve locally',
    );
  });

  it('names the nested location of a failure', () => {
    const error = errorOf('{Outer: [ok, {Inner: !ImportValue x}]}');
    expect(error.location).toBe(`${LOCATION}.Outer[1].Inner`);
  });
});

describe('resolved data', () => {
  it('keeps a __proto__ key as data', () => {
    const resolved = resolve('{__proto__: {polluted: !Ref Stage}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
    expect(Object.hasOwn(resolved, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not treat an inherited name as a parameter or resource', () => {
    expect(errorOf('!Ref constructor').problem).toBe(
      'Ref constructor: there is no parameter, resource or pseudo parameter named constructor',
    );
    expect(errorOf('!Ref toString').problem).toContain(
      'no parameter, resource or pseudo parameter named toString',
    );
  });

  it('leaves plain values untouched', () => {
    expect(resolve('{a: 1, b: [true, null], c: {d: x}}')).toEqual({ a: 1, b: [true, null], c: { d: 'x' } });
  });

  it('resolves one value with resolveIntrinsics', () => {
    expect(resolveIntrinsics({ 'Fn::Sub': `\${AWS::Region}` }, 'x', contextOf({ region: 'eu-west-2' }))).toBe(
      'eu-west-2',
    );
  });
});
