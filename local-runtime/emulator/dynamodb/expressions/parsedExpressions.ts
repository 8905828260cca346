import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';
import { checkSyntaxRules } from './checkSyntaxRules.js';
import { parseCondition } from './parseCondition.js';
import { parseProjection } from './parseProjection.js';
import { parseUpdate } from './parseUpdate.js';

/** Expression texts remembered per kind; past this, the oldest is forgotten first. */
const MAX_CACHED = 500;

/**
 * Parses an expression and applies `checkSyntaxRules`, remembering the trees of texts that passed: both depend
 * on the text alone, and clients send the same few expressions again and again (an UpdateItem's or a Query's
 * expression typically differs from request to request only in its placeholder values). Binding to the
 * request's placeholders happens afterwards, every time. A text that fails throws, every time, and is not
 * remembered. Trees are never changed once built (the binders only read them), so one tree serves every
 * request that sends its text.
 */
const cachedParser = <T>(parse: (text: string) => T, check: (tree: T) => void): ((text: string) => T) => {
  const trees = new Map<string, T>();
  return (text) => {
    const cached = trees.get(text);
    if (cached !== undefined) return cached;
    const tree = parse(text);
    check(tree);
    if (trees.size >= MAX_CACHED) trees.delete(trees.keys().next().value as string);
    trees.set(text, tree);
    return tree;
  };
};

const parsedUpdate = cachedParser<UpdateNode>(parseUpdate, (node) =>
  checkSyntaxRules({ kind: 'update', node }),
);
const parsedProjection = cachedParser<ProjectionNode>(parseProjection, (node) =>
  checkSyntaxRules({ kind: 'projection', node }),
);
const parsedCondition = cachedParser<ConditionNode>(parseCondition, (node) =>
  checkSyntaxRules({ kind: 'condition', node }),
);

export { parsedCondition, parsedProjection, parsedUpdate };
