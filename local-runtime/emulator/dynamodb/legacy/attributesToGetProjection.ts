import { validationException } from '../../errors.js';
import { checkAttributeName } from '../attributes/validateItem.js';
import type { Projection } from '../expressions/index.js';

/**
 * The legacy `AttributesToGet` parameter (GetItem, BatchGetItem) as the projection engine's compiled form: each
 * name is a top-level attribute, taken literally (no placeholders, dots are part of the name). Undefined when the
 * request has none. Its length (1 to 255) is checked with the request's other constraints.
 */
const attributesToGetProjection = (attributesToGet: unknown): Projection | undefined => {
  if (attributesToGet === undefined || attributesToGet === null) return undefined;
  const names = attributesToGet as readonly string[];
  const seen = new Set<string>();
  for (const name of names) {
    checkAttributeName(name);
    if (seen.has(name)) {
      throw validationException(
        `One or more parameter values were invalid: Duplicate value in attribute name: ${name}`,
      );
    }
    seen.add(name);
  }
  return { paths: names.map((name) => [name]) };
};

export { attributesToGetProjection };
