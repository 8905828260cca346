import type { PathNode, ProjectionNode } from './ast.js';
import { parsePath } from './parseOperand.js';
import { TokenStream } from './TokenStream.js';

/** Parses a ProjectionExpression: comma-separated document paths. */
const parseProjection = (text: string): ProjectionNode => {
  const stream = new TokenStream(text);
  const paths: PathNode[] = [parsePath(stream)];
  while (stream.isSymbol(',')) {
    stream.next();
    paths.push(parsePath(stream));
  }
  stream.expectEnd();
  return { paths };
};

export { parseProjection };
