import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { validationException } from '../../errors.js';
import { readPath, setOwn } from '../expressions/documentPath.js';
import type { DocumentPath, Projection } from '../expressions/index.js';
import type { SelectStatement } from './ast.js';
import { documentPath } from './ExpressionBuilder.js';
import { atSpan } from './statementErrors.js';

/** One projected path and the name its value is returned under. */
interface ProjectedPath {
  readonly alias: string;
  readonly path: DocumentPath;
}

/**
 * A SELECT list: each path's value is returned under its own name, not nested as a ProjectionExpression
 * would return it. `SELECT a.b, c[1]` gives `{ b: …, 'c[1]': … }`: the last name of the path, with any list
 * indexes after it, as DynamoDB returns it.
 */
interface SelectList {
  readonly paths: readonly ProjectedPath[];
  /** The same paths as an expression-engine projection, for the index checks of `planProjection`. */
  readonly projection: Projection;
}

/** The SELECT list of a statement; undefined for `SELECT *`. */
const selectList = (select: SelectStatement, text: string): SelectList | undefined => {
  if (select.projection === '*') return undefined;
  const paths: ProjectedPath[] = [];
  for (const expr of select.projection) {
    if (expr.kind !== 'path') {
      const end = expr.kind === 'call' ? expr.start + expr.name.length : expr.end;
      throw atSpan('Unexpected path component', text, { start: expr.start, end });
    }
    const lastName = expr.steps.findLastIndex((step) => step.kind === 'name');
    const name = lastName < 0 ? expr.root : (expr.steps[lastName] as { name: string }).name;
    const indexes = expr.steps
      .slice(lastName + 1)
      .map((step) => (step.kind === 'index' ? `[${step.index}]` : ''))
      .join('');
    const alias = `${name}${indexes}`;
    if (paths.some((other) => other.alias === alias)) {
      throw validationException(`Duplicate identifiers in select clause: ${alias}`);
    }
    paths.push({ alias, path: documentPath(expr) });
  }
  return { paths, projection: { paths: paths.map(({ path }) => path) } };
};

/** An item as a SELECT list returns it: each path found, under its name; `{}` when none is. */
const projectItem = (list: SelectList, item: AttributeMap): AttributeMap => {
  const result: AttributeMap = {};
  for (const { alias, path } of list.paths) {
    const value = readPath(item, path);
    if (value !== undefined) setOwn(result, alias, value);
  }
  return result;
};

export type { SelectList };
export { projectItem, selectList };
