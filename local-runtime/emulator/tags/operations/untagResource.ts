import { listMember } from '../../dynamodb/controlPlane/tableShapes.js';
import { checkTagKey, MAX_TAGS } from '../../dynamodb/controlPlane/tagRules.js';
import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkResourceArnShape, taggedResource } from '../taggedResource.js';

/** Removes tags by key. Keys the resource does not have are ignored; `aws:` keys are refused. */
const untagResource: Operation = (input, context) => {
  const constraints = new Constraints();
  checkResourceArnShape(constraints, input.ResourceArn);
  constraints.notNull('tagKeys', input.TagKeys);
  constraints.check();
  const find = taggedResource(input.ResourceArn as string, context);
  const keys = listMember(input.TagKeys) ?? [];
  if (keys.length === 0) throw validationException('Atleast one Tag Key needs to be provided as Input.');
  if (keys.length > MAX_TAGS) {
    throw validationException('Number of Tags exceed the current limit for the provided ResourceArn');
  }
  const checked = keys.map(checkTagKey);
  const resource = find();
  const next = new Map(resource.tags);
  for (const key of checked) next.delete(key);
  resource.replace(next);
  return {};
};

export { untagResource };
