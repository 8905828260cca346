import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { setOwn } from '../expressions/documentPath.js';
import type { DocumentPath } from '../expressions/index.js';
import type { PathExpr } from './ast.js';

/**
 * Collects the ExpressionAttributeNames and ExpressionAttributeValues of the expressions a statement is
 * translated into. Every name goes through a `#n` placeholder (so no PartiQL name can collide with the
 * expression language's reserved words) and every value through a `:v` placeholder; each name gets one
 * placeholder however often it is used, so no placeholder is ever left unused.
 */
class ExpressionBuilder {
  readonly #names = new Map<string, string>();
  readonly #values: AttributeMap = {};
  #valueCount = 0;

  /** The placeholder of an attribute or map key name. */
  name(name: string): string {
    let placeholder = this.#names.get(name);
    if (placeholder === undefined) {
      placeholder = `#n${this.#names.size}`;
      this.#names.set(name, placeholder);
    }
    return placeholder;
  }

  /** A new placeholder for a value. */
  value(value: AttributeValue): string {
    const placeholder = `:v${this.#valueCount}`;
    this.#valueCount += 1;
    setOwn(this.#values, placeholder, value);
    return placeholder;
  }

  /** A document path in the expression language: `#n0.#n1[2]`. */
  path(path: PathExpr): string {
    return path.steps.reduce(
      (text, step) => (step.kind === 'name' ? `${text}.${this.name(step.name)}` : `${text}[${step.index}]`),
      this.name(path.root),
    );
  }

  /** The request members the placeholders need; none when there are none. */
  members(): Record<string, unknown> {
    return {
      ...(this.#names.size === 0
        ? {}
        : { ExpressionAttributeNames: Object.fromEntries([...this.#names].map(([name, p]) => [p, name])) }),
      ...(this.#valueCount === 0 ? {} : { ExpressionAttributeValues: this.#values }),
    };
  }
}

/** A PartiQL path as the evaluators take it: `a.b[2]` is `['a', 'b', 2]`. */
const documentPath = (path: PathExpr): DocumentPath => [
  path.root,
  ...path.steps.map((step) => (step.kind === 'name' ? step.name : step.index)),
];

export { documentPath, ExpressionBuilder };
