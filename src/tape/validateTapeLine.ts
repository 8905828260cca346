import { ATTRIBUTE_TYPES } from '../records/attributeValue.js';
import { STREAM_VIEW_TYPES } from '../records/streamRecord.js';
import { TAPE_FORMAT, TAPE_VERSION, type TapeLine } from './tapeFormat.js';

/** A problem found in one line: the field (dotted path) and what is wrong. */
class LineProblem extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(problem);
    this.field = field;
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const at = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

const object = (value: unknown, path: string): Json => {
  if (!isObject(value)) throw new LineProblem(path, 'expected an object');
  return value;
};

const string = (o: Json, name: string, path: string, pattern?: RegExp, shape?: string): string => {
  const value = o[name];
  if (typeof value !== 'string') throw new LineProblem(at(path, name), 'expected a string');
  if (pattern !== undefined && !pattern.test(value))
    throw new LineProblem(
      at(path, name),
      `expected ${shape ?? pattern.source}, got ${JSON.stringify(value)}`,
    );
  return value;
};

const optionalString = (o: Json, name: string, path: string, pattern?: RegExp, shape?: string): void => {
  if (o[name] !== undefined) string(o, name, path, pattern, shape);
};

const oneOf = (o: Json, name: string, path: string, allowed: readonly string[]): void => {
  const value = o[name];
  if (typeof value !== 'string' || !allowed.includes(value))
    throw new LineProblem(
      at(path, name),
      `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
};

const count = (o: Json, name: string, path: string): void => {
  const value = o[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new LineProblem(at(path, name), 'expected a whole number, 0 or more');
};

/** Sequence numbers are decimal digits (AWS's have 21 to 40; sample events have fewer). */
const DIGITS = /^\d{1,40}$/;
const DIGITS_SHAPE = 'a sequence number (decimal digits)';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const ISO_SHAPE = 'an ISO-8601 UTC time such as 2026-01-01T00:00:00.000Z';

const attributeValue = (value: unknown, path: string): void => {
  const o = object(value, path);
  const keys = Object.keys(o);
  const type = keys[0];
  if (keys.length !== 1 || !(ATTRIBUTE_TYPES as readonly string[]).includes(type as string))
    throw new LineProblem(path, `expected one DynamoDB type descriptor (${ATTRIBUTE_TYPES.join(', ')})`);
  const inner = o[type as string];
  const where = at(path, type as string);
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      if (typeof inner !== 'string') throw new LineProblem(where, 'expected a string');
      return;
    case 'SS':
    case 'NS':
    case 'BS':
      if (!Array.isArray(inner) || inner.some((v) => typeof v !== 'string'))
        throw new LineProblem(where, 'expected an array of strings');
      return;
    case 'BOOL':
      if (typeof inner !== 'boolean') throw new LineProblem(where, 'expected true or false');
      return;
    case 'NULL':
      if (inner !== true) throw new LineProblem(where, 'expected true');
      return;
    case 'L':
      if (!Array.isArray(inner)) throw new LineProblem(where, 'expected an array');
      inner.forEach((v, i) => {
        attributeValue(v, `${where}[${i}]`);
      });
      return;
    default:
      attributeMap(inner, where);
  }
};

const attributeMap = (value: unknown, path: string): void => {
  const o = object(value, path);
  for (const [name, v] of Object.entries(o)) attributeValue(v, at(path, name));
};

const header = (o: Json): void => {
  if (o.format !== TAPE_FORMAT)
    throw new LineProblem('format', `expected "${TAPE_FORMAT}": this file is not an eddy tape`);
  const version = o.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new LineProblem('version', 'expected a whole number, 1 or more');
  if (version > TAPE_VERSION)
    throw new LineProblem(
      'version',
      `format version ${version} was written by a newer eddy; this one reads version ${TAPE_VERSION}: upgrade eddy`,
    );
  string(o, 'streamArn', '');
  string(o, 'region', '');
  string(o, 'tableName', '');
  const keySchema = o.keySchema;
  if (!Array.isArray(keySchema) || keySchema.length < 1 || keySchema.length > 2)
    throw new LineProblem('keySchema', 'expected an array of 1 or 2 key attributes');
  keySchema.forEach((element, i) => {
    const e = object(element, `keySchema[${i}]`);
    string(e, 'AttributeName', `keySchema[${i}]`);
    oneOf(e, 'KeyType', `keySchema[${i}]`, ['HASH', 'RANGE']);
  });
  oneOf(o, 'streamViewType', '', STREAM_VIEW_TYPES);
  const recording = object(o.recording, 'recording');
  oneOf(recording, 'source', 'recording', ['GetRecords', 'lambda-event', 'test-kit']);
  string(recording, 'tool', 'recording');
  string(recording, 'startedAt', 'recording', ISO_TIME, ISO_SHAPE);
  optionalString(recording, 'from', 'recording');
  optionalString(recording, 'until', 'recording');
  optionalString(recording, 'untilTime', 'recording', ISO_TIME, ISO_SHAPE);
  optionalString(recording, 'endpoint', 'recording');
};

const shard = (o: Json): void => {
  string(o, 'shardId', '');
  optionalString(o, 'parentShardId', '');
  const range = object(o.sequenceNumberRange, 'sequenceNumberRange');
  optionalString(range, 'StartingSequenceNumber', 'sequenceNumberRange', DIGITS, DIGITS_SHAPE);
  optionalString(range, 'EndingSequenceNumber', 'sequenceNumberRange', DIGITS, DIGITS_SHAPE);
  optionalString(o, 'firstSeenOpenAt', '', ISO_TIME, ISO_SHAPE);
  optionalString(o, 'firstSeenClosedAt', '', ISO_TIME, ISO_SHAPE);
};

const record = (o: Json): void => {
  string(o, 'shardId', '');
  const r = object(o.record, 'record');
  string(r, 'eventID', 'record');
  oneOf(r, 'eventName', 'record', ['INSERT', 'MODIFY', 'REMOVE']);
  optionalString(r, 'eventVersion', 'record');
  optionalString(r, 'eventSource', 'record');
  optionalString(r, 'awsRegion', 'record');
  const data = object(r.dynamodb, 'record.dynamodb');
  const created = data.ApproximateCreationDateTime;
  if (created !== undefined && (typeof created !== 'number' || !Number.isFinite(created)))
    throw new LineProblem(
      'record.dynamodb.ApproximateCreationDateTime',
      'expected epoch seconds (a number), as GetRecords sends it',
    );
  attributeMap(data.Keys, 'record.dynamodb.Keys');
  if (data.NewImage !== undefined) attributeMap(data.NewImage, 'record.dynamodb.NewImage');
  if (data.OldImage !== undefined) attributeMap(data.OldImage, 'record.dynamodb.OldImage');
  string(data, 'SequenceNumber', 'record.dynamodb', DIGITS, DIGITS_SHAPE);
  if (data.SizeBytes !== undefined) count(data, 'SizeBytes', 'record.dynamodb');
  oneOf(data, 'StreamViewType', 'record.dynamodb', STREAM_VIEW_TYPES);
  if (r.userIdentity !== undefined) {
    const identity = object(r.userIdentity, 'record.userIdentity');
    string(identity, 'Type', 'record.userIdentity');
    string(identity, 'PrincipalId', 'record.userIdentity');
  }
};

const end = (o: Json): void => {
  string(o, 'endedAt', '', ISO_TIME, ISO_SHAPE);
  oneOf(o, 'reason', '', ['until', 'interrupted', 'complete', 'failed']);
  count(o, 'records', '');
  count(o, 'shards', '');
};

/**
 * Checks one parsed line against the tape format (the rules `tape.schema.json` writes down) and returns it
 * typed, or throws a LineProblem naming the field. Unknown fields are allowed, so that a newer minor writer's
 * additions do not break an older reader.
 */
const validateTapeLine = (value: unknown): TapeLine => {
  const o = object(value, '');
  switch (o.type) {
    case 'header':
      header(o);
      break;
    case 'shard':
      shard(o);
      break;
    case 'record':
      record(o);
      break;
    case 'end':
      end(o);
      break;
    default:
      throw new LineProblem(
        'type',
        `expected one of header, shard, record, end, got ${JSON.stringify(o.type)}`,
      );
  }
  return o as unknown as TapeLine;
};

export { LineProblem, validateTapeLine };
