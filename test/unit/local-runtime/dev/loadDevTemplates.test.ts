import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevTemplates } from '../../../../local-runtime/dev/loadDevTemplates.js';
import type { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-dev-templates-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TABLE = `
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub 'orders-\${Stage}-\${PeerRegion}'
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
`;

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const load = (templatePath: string, regions: string[], parameterOverrides: Record<string, string> = {}) => {
  const problems: TemplateError[] = [];
  return loadDevTemplates({ templatePath, regions, parameterOverrides, accountId: undefined, problems });
};

describe('loadDevTemplates', () => {
  it("resolves the template for each region with the user's parameters and the peer region", async () => {
    const path = write(
      'peer.yaml',
      `Parameters:\n  Stage: {Type: String, Default: prod}\n  PeerRegion: {Type: String, Default: none}\nResources:${TABLE}`,
    );
    const { templates, overrides, first } = await load(path, ['us-east-1', 'eu-west-1'], { Stage: 'dev' });
    const names = [...templates].map(([region, t]) => [region, t.tables[0]?.createTableInput.TableName]);
    expect(names).toEqual([
      ['us-east-1', 'orders-dev-eu-west-1'],
      ['eu-west-1', 'orders-dev-us-east-1'],
    ]);
    expect(first.region).toBe('us-east-1');
    expect(overrides.get('eu-west-1')).toEqual({ Stage: 'dev', PeerRegion: 'us-east-1' });
  });

  it('says an unknown parameter with the Parameters the template has', async () => {
    const path = write(
      'stage.yaml',
      `Parameters:\n  Stage: {Type: String}\n  PeerRegion: {Type: String}\nResources:${TABLE}`,
    );
    await expect(load(path, ['us-east-1'], { Stagee: 'dev' })).rejects.toThrow(
      'Parameters: parameter override Stagee: the template has no parameter Stagee (its Parameters: Stage, PeerRegion)',
    );
  });

  it('says an unreadable template by its path', async () => {
    const missing = join(dir, 'missing.yaml');
    await expect(load(missing, ['us-east-1'])).rejects.toThrow(`${missing}: cannot read the template`);
  });
});
