import { onRollback } from '../atomic/requestScope.js';
import { accessDeniedException, findTable } from '../dynamodb/controlPlane/lookupTable.js';
import { resourceNotFoundException, validationException } from '../errors.js';
import type { OperationContext } from '../operation.js';
import type { Stream } from '../streams/Stream.js';
import type { Constraints } from '../validation/Constraints.js';

/** The tag set of a resource TagResource, UntagResource and ListTagsOfResource can address. */
interface TaggedResource {
  readonly tags: Map<string, string>;
  /** Replaces the resource's tag set. */
  replace(tags: ReadonlyMap<string, string>): void;
}

/**
 * Streams are a tag slot of their own (tagging a stream ARN does not tag its table). They are kept by stream
 * object, so they go with the stream.
 */
const streamTags = new WeakMap<Stream, Map<string, string>>();

/** A stream's tags, for the data dir. */
const streamTagsOf = (stream: Stream): ReadonlyMap<string, string> => streamTags.get(stream) ?? new Map();

/** Sets a stream's tags read back from a data dir. */
const restoreStreamTags = (stream: Stream, tags: Iterable<readonly [string, string]>): void => {
  streamTags.set(stream, new Map(tags));
};

const invalid = (detail: string) =>
  validationException(`One or more parameter values were invalid: ${detail}`);

/** Adds the generic validator's constraints on `ResourceArn` to a request's constraints. */
const checkResourceArnShape = (constraints: Constraints, arn: unknown): void => {
  constraints.notNull('resourceArn', arn);
  constraints.length('resourceArn', arn, 1, 1283);
};

/**
 * Checks a `ResourceArn` (already past its shape constraints) and returns how to find the table or stream it
 * names: DynamoDB validates the whole request before it looks the resource up. Malformed ARNs and other
 * services' or other resource types' ARNs are ValidationException, another region's ARN is an "Invalid
 * TableArn", another account's is AccessDeniedException; finding a table that does not exist (or is still being
 * created, or already being deleted) is ResourceNotFoundException naming the ARN.
 */
const taggedResource = (arn: string, context: OperationContext): (() => TaggedResource) => {
  if (!arn.startsWith('arn:')) throw invalid(`ARNs must start with 'arn:': ${arn}`);
  const [, , service, regionName, accountId, ...rest] = arn.split(':');
  const resource = rest.join(':');
  if (service !== 'dynamodb' || !resource.startsWith('table/')) {
    throw invalid(`Provided Arn is not a DynamoDB resource arn: ${arn}`);
  }
  const [, tableName = '', kind, name, ...extra] = resource.split('/');
  if (kind !== undefined && kind !== 'stream' && kind !== 'index') {
    throw invalid(`Provided Arn is not a DynamoDB resource arn: ${arn}`);
  }
  if (kind === 'index' || extra.length > 0) {
    throw invalid(
      `Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`,
    );
  }
  const { region } = context;
  if (
    regionName !== region.name ||
    !/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName) ||
    (kind === 'stream' && (name === undefined || name === ''))
  ) {
    throw validationException(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  }
  if (accountId !== region.accountId) throw accessDeniedException();
  const notFound = () =>
    resourceNotFoundException(`Requested resource not found: ResourceArn: ${arn} not found`);

  if (kind === 'stream') {
    return () => {
      const stream = region.streams.get(arn);
      if (stream === undefined) throw notFound();
      return {
        tags: streamTags.get(stream) ?? new Map<string, string>(),
        replace: (next) => {
          const previous = streamTags.get(stream);
          onRollback(() => {
            if (previous === undefined) streamTags.delete(stream);
            else streamTags.set(stream, previous);
          });
          streamTags.set(stream, new Map(next));
          region.effects?.settingsTouched();
        },
      };
    };
  }
  return () => {
    const found = findTable(region, tableName, context);
    // The tagging backend learns of a table only once it is ACTIVE and forgets it as soon as it is deleting.
    if (found === undefined || found.status === 'CREATING' || found.status === 'DELETING') throw notFound();
    const { state } = found;
    return {
      tags: state.tags,
      replace: (next) => {
        state.tags.clear();
        for (const [key, value] of next) state.tags.set(key, value);
      },
    };
  };
};

export type { TaggedResource };
export { checkResourceArnShape, restoreStreamTags, streamTagsOf, taggedResource };
