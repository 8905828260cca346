import { statSync } from 'node:fs';
import { childLocation, type IntrinsicResolver, isRecord } from './resolveIntrinsics.js';
import { TemplateError } from './TemplateError.js';
import { problemsOf } from './TemplateErrors.js';
import type { LoadTemplateOptions } from './types.js';

/** Parsing state for one template: where it is, how to report, how to resolve. Each reader of a part takes it. */
interface TemplateContext {
  fail(location: string, problem: string): never;
  resolver: IntrinsicResolver;
  /** Folder of the template, absolute. */
  folder: string;
  /** The template file as the caller named it, for errors. */
  path: string;
  /** The caller's check of an event's resolved properties (LoadTemplateOptions.checkEventProperties). */
  checkEvent?: LoadTemplateOptions['checkEventProperties'];
}

/** `Object.hasOwn` lookups, so that keys such as `__proto__` or `constructor` in the template stay data. */
const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const isKind = (path: string, kind: 'file' | 'directory'): boolean => {
  try {
    const stats = statSync(path);
    return kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    return false;
  }
};

/**
 * Runs `read`, and on a TemplateError keeps its problems in `problems` and returns undefined, so one pass over
 * the template finds every resource's and every event's problems, not only the first.
 */
const collecting = <T>(problems: TemplateError[], read: () => T): T | undefined => {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    problems.push(...problemsOf(error));
    return undefined;
  }
};

const propertiesOf = (
  template: TemplateContext,
  logicalId: string,
  resource: Record<string, unknown>,
): Record<string, unknown> => {
  const properties = own(resource, 'Properties');
  if (properties === undefined || properties === null) return {};
  if (!isRecord(properties)) template.fail(`Resources.${logicalId}.Properties`, 'Properties must be a map');
  return properties;
};

/** A resolved value that must be a number: a number, or a numeric string as a `!Ref` or quoted YAML gives. */
const numberAt = (template: TemplateContext, value: unknown, location: string, what: string): number => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    template.fail(location, `${what} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
};

const resolveOwn = (
  template: TemplateContext,
  properties: Record<string, unknown>,
  key: string,
  location: string,
): unknown =>
  Object.hasOwn(properties, key)
    ? template.resolver.resolve(properties[key], childLocation(location, key))
    : undefined;

/** Map → object, leaving out what is undefined (absent or `AWS::NoValue`). */
const definedEntries = (entries: Map<string, unknown>): Record<string, unknown> =>
  Object.fromEntries([...entries].filter(([, value]) => value !== undefined));

export type { TemplateContext };
export { collecting, definedEntries, isKind, numberAt, own, propertiesOf, resolveOwn };
