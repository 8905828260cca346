import { validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { lookupTable } from '../controlPlane/lookupTable.js';

/**
 * The table's TTL: ENABLED with its attribute, or DISABLED without one (a table whose TTL was turned off reads
 * exactly like one that never had it). DynamoDB refuses to describe it while the table is being created or
 * deleted.
 */
const describeTimeToLive: Operation = (input, context) => {
  const { state, status } = lookupTable(input, context);
  if (status === 'CREATING' || status === 'DELETING') {
    throw validationException(
      `Cannot describe time to live while table is in ${status} state: Current table state is ${status}`,
    );
  }
  const attributeName = state.ttl?.attributeName;
  return {
    TimeToLiveDescription:
      attributeName === undefined
        ? { TimeToLiveStatus: 'DISABLED' }
        : { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName },
  };
};

export { describeTimeToLive };
