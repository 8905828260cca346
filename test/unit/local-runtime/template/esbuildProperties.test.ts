import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../../local-runtime/template/loadTemplate.js';
import { TemplateError } from '../../../../local-runtime/template/TemplateError.js';

// BuildProperties as sam build reads them
// (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html)
// and aws-lambda-builders turns them into esbuild flags
// (https://github.com/aws/aws-lambda-builders/blob/develop/aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py).

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eddy-esbuild-props-'));
  for (const file of ['src/app.ts', 'src/lib/other.js', 'src/only.js']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'export const handler = async () => {};\n');
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const template = (buildProperties: string, extra = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  OrdersProjection:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
${buildProperties
  .split('\n')
  .map((line) => `        ${line}`)
  .join('\n')}
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: nodejs22.x
${extra}
      Events:
        S: {Type: DynamoDB, Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}}
`;

const settingsOf = (buildProperties: string, extra = '') => {
  const fn = parseTemplate(template(buildProperties, extra), { path: join(dir, 'template.yaml') })
    .functions[0];
  return { settings: fn?.build.esbuild, environment: fn?.environment };
};

const errorOf = (buildProperties: string): TemplateError => {
  try {
    parseTemplate(template(buildProperties), { path: join(dir, 'template.yaml') });
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

describe('esbuild BuildProperties', () => {
  it("applies SAM's defaults: cjs, es2020, minified, the Handler's file, no source map", () => {
    expect(settingsOf('{}').settings).toEqual({
      entryPoints: [join(dir, 'src/app.ts')],
      format: 'cjs',
      target: ['es2020'],
      minify: true,
      sourcemap: false,
      external: [],
      loader: {},
      outExtension: {},
      banner: {},
    });
  });

  it('reads every property SAM honours', () => {
    const { settings } = settingsOf(
      [
        'Format: esm',
        'Minify: false',
        'Target: es2022,node22',
        'Sourcemap: true',
        'SourcesContent: false',
        'MainFields: module,main',
        "External: ['@aws-sdk/*', pg-native]",
        "Loader: ['.png=file', '.txt=text']",
        "OutExtension: ['.js=.mjs']",
        'Banner: [\'js=import { createRequire } from "node:module"; const require = createRequire(import.meta.url);\']',
        'EntryPoints: [app.ts, lib/other]',
      ].join('\n'),
    );
    expect(settings).toEqual({
      entryPoints: [join(dir, 'src/app.ts'), join(dir, 'src/lib/other.js')],
      format: 'esm',
      target: ['es2022', 'node22'],
      minify: false,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*', 'pg-native'],
      loader: { '.png': 'file', '.txt': 'text' },
      outExtension: { '.js': '.mjs' },
      banner: {
        js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
      },
    });
  });

  it('turns Sourcemap on for NODE_OPTIONS --enable-source-maps, and adds the option for Sourcemap, as SAM does', () => {
    const nodeOptions = '      Environment: {Variables: {NODE_OPTIONS: --enable-source-maps}}';
    expect(settingsOf('{}', nodeOptions).settings?.sourcemap).toBe(true);
    expect(settingsOf('Sourcemap: false', nodeOptions).settings?.sourcemap).toBe(false);
    const other = '      Environment: {Variables: {NODE_OPTIONS: --max-old-space-size=512}}';
    expect(settingsOf('Sourcemap: true', other).environment?.NODE_OPTIONS).toBe(
      '--max-old-space-size=512 --enable-source-maps',
    );
  });

  it.each([
    ['Format: umd', 'Format', 'expected esm or cjs, got "umd"'],
    ['Format: iife', 'Format', 'expected esm or cjs, got "iife" (an iife bundle exports no handler)'],
    [
      'Minify: "true"',
      'Minify',
      'expected true or false, got "true" (sam build adds --minify only for the boolean true)',
    ],
    [
      'Sourcemap: yes please',
      'Sourcemap',
      'expected true or false, got "yes please" (sam build adds --sourcemap only for the boolean true)',
    ],
    [
      'Target: ES 2020',
      'Target',
      'expected an esbuild target such as es2020 or node22 (several separated by commas), got "ES 2020"',
    ],
    [
      'Target: 2020',
      'Target',
      'expected an esbuild target such as es2020 or node22 (several separated by commas), got 2020',
    ],
    [
      'MainFields: [module, main]',
      'MainFields',
      'expected package.json fields separated by commas, such as module,main (sam build passes one value to --main-fields), got ["module","main"]',
    ],
    ['External: aws-sdk', 'External', 'expected a list (sam build refuses any other type), got "aws-sdk"'],
    [
      "Loader: ['.png:file']",
      'Loader[0]',
      'expected .<extension>=<loader>, such as .png=file, got ".png:file"',
    ],
    ["Loader: ['png=file']", 'Loader[0]', 'the extension must start with a dot, such as .png=file'],
    [
      "Loader: ['.png=image']",
      'Loader[0]',
      "unknown loader image; esbuild's loaders are base64, binary, copy, css, dataurl, default, empty, file, js, json, jsx, local-css, text, ts, tsx",
    ],
    ["OutExtension: ['.ts=.mts']", 'OutExtension[0]', 'esbuild renames .js and .css outputs, not .ts'],
    [
      "OutExtension: ['.js=mjs']",
      'OutExtension[0]',
      'the new extension must start with a dot, such as .js=.mjs',
    ],
    ["Banner: ['ts=// hi']", 'Banner[0]', 'a banner is for js or css, not ts'],
    ['Banner: js=// hi', 'Banner', 'expected a list (sam build refuses any other type), got "js=// hi"'],
    ['SourceMap: true', 'SourceMap', 'sam build reads Sourcemap (spelt so) and ignores SourceMap'],
    ['EntryPoints: []', 'EntryPoints', 'EntryPoints must be a non-empty list of files relative to CodeUri'],
  ])('refuses %s, naming the template path and property', (properties, key, problem) => {
    const error = errorOf(properties);
    expect(error.location).toBe(`Resources.OrdersProjection.Metadata.BuildProperties.${key}`);
    expect(error.problem).toBe(problem);
    expect(error.message).toBe(
      `${join(dir, 'template.yaml')}: Resources.OrdersProjection.Metadata.BuildProperties.${key}: ${problem}`,
    );
  });

  it('names an entry point that is not there, tried with .ts then .js as sam build does', () => {
    const error = errorOf('EntryPoints: [app.ts, lib/missing]');
    expect(error.location).toBe('Resources.OrdersProjection.Metadata.BuildProperties.EntryPoints[1]');
    expect(error.problem).toBe(`entry point lib/missing is not a file in ${join(dir, 'src')}`);
  });

  it('ignores properties SAM does not know, as it does', () => {
    expect(settingsOf('UseNpmCi: true').settings?.format).toBe('cjs');
  });
});
