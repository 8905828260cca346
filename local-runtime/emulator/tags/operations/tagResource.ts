import { listMember } from '../../dynamodb/controlPlane/tableShapes.js';
import { checkTags, mergeTags } from '../../dynamodb/controlPlane/tagRules.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkResourceArnShape, taggedResource } from '../taggedResource.js';

/**
 * Adds tags to a table (or stream), overwriting the values of keys it already has. Checked in DynamoDB's
 * order: request shape, the ARN, the tags themselves, the resource, then the merged set's limits; all or nothing.
 */
const tagResource: Operation = (input, context) => {
  const constraints = new Constraints();
  checkResourceArnShape(constraints, input.ResourceArn);
  constraints.notNull('tags', input.Tags);
  constraints.check();
  const find = taggedResource(input.ResourceArn as string, context);
  const tags = listMember(input.Tags) ?? [];
  if (tags.length === 0) throw validationException('Atleast one Tag needs to be provided as Input.');
  const checked = checkTags(tags);
  const resource = find();
  resource.replace(mergeTags(resource.tags, checked));
  return {};
};

export { tagResource };
