import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../../local-runtime/template/cfnYaml.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

const parse = (yaml: string) => parseCfnYaml(yaml, 'template.yaml') as Record<string, unknown>;

const errorOf = (yaml: string): TemplateError => {
  try {
    parse(yaml);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

describe('parseCfnYaml', () => {
  it.each([
    ['!Ref Orders', { Ref: 'Orders' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Orders.StreamArn', { 'Fn::GetAtt': ['Orders', 'StreamArn'] }],
    ['!GetAtt [Orders, Arn]', { 'Fn::GetAtt': ['Orders', 'Arn'] }],
    [`!Sub "\${AWS::StackName}-orders"`, { 'Fn::Sub': `\${AWS::StackName}-orders` }],
    [`!Sub ["\${A}-x", {A: !Ref P}]`, { 'Fn::Sub': [`\${A}-x`, { A: { Ref: 'P' } }] }],
    ["!Join ['-', [a, !Ref B]]", { 'Fn::Join': ['-', ['a', { Ref: 'B' }]] }],
    ['!Select [1, [a, b]]', { 'Fn::Select': [1, ['a', 'b']] }],
    ["!Split [',', 'a,b']", { 'Fn::Split': [',', 'a,b'] }],
    ['!If [IsProd, a, !Ref AWS::NoValue]', { 'Fn::If': ['IsProd', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Equals [!Ref Stage, prod]', { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }],
    ['!Not [!Condition IsProd]', { 'Fn::Not': [{ Condition: 'IsProd' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!FindInMap [Map, !Ref Stage, Size]', { 'Fn::FindInMap': ['Map', { Ref: 'Stage' }, 'Size'] }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Base64 {Fn::Sub: x}', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!GetAZs', { 'Fn::GetAZs': '' }],
    ['!ImportValue shared-queue', { 'Fn::ImportValue': 'shared-queue' }],
    [`!ImportValue {Fn::Sub: "\${Env}-q"}`, { 'Fn::ImportValue': { 'Fn::Sub': `\${Env}-q` } }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!Transform {Name: M, Parameters: {}}', { 'Fn::Transform': { Name: 'M', Parameters: {} } }],
  ])('turns %s into its long form', (source, expected) => {
    expect(parse(`Value: ${source}`).Value).toEqual(expected);
  });

  it('keeps a nested attribute name after the first dot of !GetAtt', () => {
    expect(parse('Value: !GetAtt Db.Endpoint.Address').Value).toEqual({
      'Fn::GetAtt': ['Db', 'Endpoint.Address'],
    });
  });

  it('resolves short forms nested in block sequences and mappings', () => {
    const parsed = parse(`
Value: !Join
  - ''
  - - 'arn:'
    - !Ref AWS::Partition
    - !Select
      - 0
      - !Split [',', !ImportValue list]
`);
    expect(parsed.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::ImportValue': 'list' }] }] },
        ],
      ],
    });
  });

  it('keeps anchors and aliases of tagged values', () => {
    const parsed = parse('A: &stream !GetAtt T.StreamArn\nB: *stream\nC: &list !Join [",", [a]]\nD: *list');
    expect(parsed.B).toEqual({ 'Fn::GetAtt': ['T', 'StreamArn'] });
    expect(parsed.D).toEqual({ 'Fn::Join': [',', ['a']] });
  });

  it('reads JSON templates, whose long forms need no tags', () => {
    expect(parse('{"Resources": {"T": {"Type": "AWS::DynamoDB::Table"}}}')).toEqual({
      Resources: { T: { Type: 'AWS::DynamoDB::Table' } },
    });
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = parse('__proto__: {polluted: true}\nOther: 1');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('uses the YAML 1.2 core schema (yes stays a string)', () => {
    expect(parse('A: yes\nB: true\nC: 2024-01-01').A).toBe('yes');
  });

  it('names the file, line and column of a syntax error', () => {
    const error = errorOf('Resources:\n  T:\n    Type: [AWS::DynamoDB::Table\n');
    expect(error.templatePath).toBe('template.yaml');
    expect(error.location).toMatch(/^line \d+, column \d+$/);
    expect(error.message).toMatch(/^template\.yaml: line \d+, column \d+: YAML syntax error: /);
  });

  it('reports the line of a bad indentation', () => {
    const error = errorOf('Resources:\n  T:\n    Type: x\n   Bad: y\n');
    expect(error.location).toMatch(/^line 4, column \d+$/);
  });

  it('rejects duplicate keys with their line', () => {
    const error = errorOf('A: 1\nA: 2\n');
    expect(error.message).toBe('template.yaml: line 2, column 1: YAML syntax error: Map keys must be unique');
  });

  it('rejects a tag that is not a CloudFormation short form', () => {
    const error = errorOf('A: 1\nB: !Reff Orders\n');
    expect(error.location).toBe('line 2, column 4');
    expect(error.message).toBe(
      'template.yaml: line 2, column 4: Unresolved tag: !Reff (not a CloudFormation short form)',
    );
  });

  it('rejects !GetAtt without an attribute name', () => {
    const error = errorOf('A: !GetAtt Orders');
    expect(error.location).toBe('line 1, column 4');
    expect(error.problem).toContain("!GetAtt needs LogicalId.AttributeName, got 'Orders'");
  });

  it('rejects a second YAML document', () => {
    expect(errorOf('A: 1\n---\nB: 2\n').problem).toBe(
      'YAML syntax error: a template is a single document, found a second one',
    );
  });
});
