import {
  type CollectionTag,
  LineCounter,
  Pair,
  parseDocument,
  Scalar,
  type ScalarTag,
  type YAMLError,
  YAMLMap,
} from 'yaml';
import { TemplateError } from './TemplateError.js';

/**
 * CloudFormation's YAML short forms (`!Ref X`) and the long form each one stands for (`{ Ref: X }`).
 * `!Transform` is not in the brief's list but is a documented short form; the resolver rejects it like any other
 * intrinsic it cannot evaluate locally.
 */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!FindInMap': 'Fn::FindInMap',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!Cidr': 'Fn::Cidr',
  '!Transform': 'Fn::Transform',
};

/** `!GetAtt A.B.C` means attribute `B.C` of `A` (nested attributes such as `Endpoint.Address` keep their dot). */
const splitGetAtt = (value: string, onError: (message: string) => void): unknown => {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1) {
    onError(`!GetAtt needs LogicalId.AttributeName, got '${value}'`);
    return { 'Fn::GetAtt': [value] };
  }
  return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
};

/**
 * Each short form may tag a scalar, a sequence or a mapping (`!Base64 { Fn::Sub: … }`), and `yaml` picks a tag by
 * node kind, so every name is registered three times. Collections stay YAML nodes inside a one-pair map, which keeps
 * anchors, aliases and nested short forms working when the document is converted to JS.
 */
const CFN_TAGS: (ScalarTag | CollectionTag)[] = Object.entries(SHORT_FORMS).flatMap(([tag, longForm]) => {
  const wrap = (node: unknown): YAMLMap => {
    const map = new YAMLMap();
    map.items.push(new Pair(new Scalar(longForm), node));
    return map;
  };
  const scalar: ScalarTag = {
    tag,
    resolve: (value, onError) => (tag === '!GetAtt' ? splitGetAtt(value, onError) : { [longForm]: value }),
  };
  const seq: CollectionTag = { tag, collection: 'seq', resolve: wrap };
  const map: CollectionTag = { tag, collection: 'map', resolve: wrap };
  return [scalar, seq, map];
});

/** `yaml`'s messages are written for programmers using `yaml`; the one for a second document names an API. */
const problemOf = (error: YAMLError): string => {
  if (error.code === 'MULTIPLE_DOCS') {
    return 'YAML syntax error: a template is a single document, found a second one';
  }
  if (error.code === 'TAG_RESOLVE_FAILED') return error.message;
  return `YAML syntax error: ${error.message}`;
};

const yamlTemplateError = (error: YAMLError, lines: LineCounter, templatePath: string, problem: string) => {
  const { line, col } = lines.linePos(error.pos[0]);
  return new TemplateError(templatePath, `line ${line}, column ${col}`, problem, { cause: error });
};

/**
 * Parses a CloudFormation/SAM template written in YAML (or JSON, which is YAML) into plain JS with every short-form
 * tag turned into its long form: `!GetAtt T.StreamArn` becomes `{ "Fn::GetAtt": ["T", "StreamArn"] }`.
 *
 * Uses the YAML 1.2 core schema, so `yes`/`no` stay strings and dates stay strings.
 *
 * @param text - the template source
 * @param templatePath - the file name used in error messages
 * @throws {TemplateError} on a syntax error or an unknown `!Tag`, located as `line L, column C`
 */
const parseCfnYaml = (text: string, templatePath: string): unknown => {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { customTags: CFN_TAGS, lineCounter, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) throw yamlTemplateError(first, lineCounter, templatePath, problemOf(first));
  // yaml only warns about a tag it does not know and keeps the value as a string; CloudFormation rejects the
  // template, and a misspelt `!Reff` silently becoming a string would be much harder to find later.
  const unknownTag = doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag !== undefined) {
    const problem = `${unknownTag.message} (not a CloudFormation short form)`;
    throw yamlTemplateError(unknownTag, lineCounter, templatePath, problem);
  }
  return doc.toJS();
};

export { parseCfnYaml };
