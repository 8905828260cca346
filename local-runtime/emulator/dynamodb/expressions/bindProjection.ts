import type { ProjectionNode } from './ast.js';
import type { Projection } from './compiled.js';
import { checkPathClashes } from './documentPath.js';
import type { Placeholders } from './Placeholders.js';

/** Resolves a projection's placeholders, then refuses overlapping or conflicting paths. */
const bindProjection = (projection: ProjectionNode, placeholders: Placeholders): Projection => {
  const paths = projection.paths.map((path) => placeholders.path(path));
  checkPathClashes(paths);
  return { paths };
};

export { bindProjection };
