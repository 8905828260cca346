import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkResourceArnShape, taggedResource } from '../taggedResource.js';

/**
 * The tags of a table (or stream), in the order they were first set. A resource holds at most 50 tags, which
 * fit in one page, so there is never a NextToken.
 */
const listTagsOfResource: Operation = (input, context) => {
  const constraints = new Constraints();
  checkResourceArnShape(constraints, input.ResourceArn);
  constraints.check();
  const { tags } = taggedResource(input.ResourceArn as string, context)();
  return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
};

export { listTagsOfResource };
