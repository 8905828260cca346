import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The AWS recordings shared with the team (../shared/oracles), read as golden data. */
const ORACLES = fileURLToPath(new URL('../../../shared/oracles/localstack/', import.meta.url));

const readOracle = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${ORACLES}${name}`, 'utf8')) as Record<string, unknown>;

/** Every object inside `value` (depth first) for which `match` holds. */
const collect = <T>(value: unknown, match: (o: Record<string, unknown>) => boolean): T[] => {
  const found: T[] = [];
  const walk = (o: unknown) => {
    if (o === null || typeof o !== 'object') return;
    if (!Array.isArray(o) && match(o as Record<string, unknown>)) found.push(o as T);
    for (const v of Object.values(o)) walk(v);
  };
  walk(value);
  return found;
};

export { collect, ORACLES, readOracle };
