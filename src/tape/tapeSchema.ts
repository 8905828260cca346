import schema from './tape.schema.json' with { type: 'json' };

/**
 * The JSON schema of one tape line (draft 2020-12), as shipped in the package at `dist/src/tape/tape.schema.json`:
 * for tools that read tapes without eddy. Its description states the order rules a schema cannot.
 *
 * @example
 * import { Ajv2020 } from 'ajv/dist/2020.js';
 * import { TAPE_JSON_SCHEMA } from 'eddy/runtime';
 *
 * const validLine = new Ajv().compile(TAPE_JSON_SCHEMA);
 * for (const text of ndjson.split('\n').filter(Boolean)) if (!validLine(JSON.parse(text))) console.log(validLine.errors);
 */
const TAPE_JSON_SCHEMA: Readonly<Record<string, unknown>> = schema;

export { TAPE_JSON_SCHEMA };
