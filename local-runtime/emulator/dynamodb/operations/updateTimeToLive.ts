import { resourceInUseException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { TtlIndex } from '../../ttl/TtlIndex.js';
import { Constraints } from '../../validation/Constraints.js';
import { lookupTable } from '../controlPlane/lookupTable.js';
import { keyOf } from '../keySchema.js';

/**
 * "It can take up to one hour for the change to fully process. Any additional UpdateTimeToLive calls for the
 * same table during this one hour duration result in a ValidationException."
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html)
 */
const TTL_CHANGE_COOLDOWN_MS = 60 * 60 * 1000;

/** TimeToLiveSpecification's members, in the order DynamoDB reports them when none is given. */
const SPEC_MEMBERS = ['Enabled', 'AttributeName'] as const;

/**
 * Turns TTL on or off for a table. Turning it on indexes the items that carry the attribute as a Number (one
 * scan); from then on the table's change listener keeps the index current and the sweeper deletes what
 * expires. Refuses no-op changes as DynamoDB does ("TimeToLive is already enabled"/"disabled"), then a change
 * within an hour of the last one, and answers with the request's specification.
 */
const updateTimeToLive: Operation = (input, context) => {
  const spec = input.TimeToLiveSpecification as
    | { AttributeName?: unknown; Enabled?: unknown }
    | null
    | undefined;
  const constraints = new Constraints();
  constraints.tableName('tableName', input.TableName);
  constraints.notNull('timeToLiveSpecification', spec);
  if (spec !== undefined && spec !== null) {
    // DynamoDB lists the members' failures in the order the request gave them, missing ones last.
    const order = [
      ...Object.keys(spec).filter((k): k is (typeof SPEC_MEMBERS)[number] =>
        SPEC_MEMBERS.includes(k as never),
      ),
      ...SPEC_MEMBERS.filter((k) => !Object.hasOwn(spec, k)),
    ];
    for (const member of order) {
      if (member === 'Enabled') constraints.notNull('timeToLiveSpecification.enabled', spec.Enabled);
      else {
        constraints.notNull('timeToLiveSpecification.attributeName', spec.AttributeName);
        constraints.length('timeToLiveSpecification.attributeName', spec.AttributeName, 1, 255);
      }
    }
  }
  constraints.check();

  const { table, state, status } = lookupTable(input, context);
  if (status === 'CREATING' || status === 'DELETING') {
    throw resourceInUseException(
      `Attempt to change a resource which is still in use: Table ${table.name} is being ${status === 'CREATING' ? 'created' : 'deleted'}`,
    );
  }
  const { AttributeName: attributeName, Enabled: enabled } = spec as {
    AttributeName: string;
    Enabled: boolean;
  };
  const current = state.ttl?.attributeName;
  if (current !== undefined && current !== attributeName) {
    throw validationException(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
    );
  }
  if (enabled && current !== undefined) throw validationException('TimeToLive is already enabled');
  if (!enabled && current === undefined) throw validationException('TimeToLive is already disabled');
  // The no-op checks above come first: AWS answers them during the cooldown too. Its wording for the cooldown
  // is not in the API reference; this is the message AWS answers (test/integration/emulator/ttl.test.ts).
  const now = context.clock.now();
  if (state.ttlChangedAt !== undefined && now - state.ttlChangedAt < TTL_CHANGE_COOLDOWN_MS) {
    throw validationException('Time to live has been modified multiple times within a fixed interval');
  }
  state.ttlChangedAt = now;

  if (enabled) {
    const index = new TtlIndex(attributeName);
    for (const item of table.items()) index.track(keyOf(table.definition.keySchema, item), item);
    state.ttl = index;
  } else {
    state.ttl = undefined;
  }
  context.region.routeChanges(table);
  return { TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled } };
};

export { updateTimeToLive };
