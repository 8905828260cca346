import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Responses recorded against real AWS (see test/fixtures/aws-recordings/README.md), read as golden data. */
const ORACLES = fileURLToPath(new URL('../fixtures/aws-recordings/', import.meta.url));

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
