import type { Operation } from '../../operation.js';

/**
 * The endpoint of the caller's region, as DynamoDB answers it (endpoint discovery). Clients cache it for the
 * CachePeriodInMinutes given; SDKs pointed at the emulator with an explicit endpoint never use it.
 */
const describeEndpoints: Operation = (_input, { region }) => ({
  Endpoints: [{ Address: `dynamodb.${region.name}.amazonaws.com`, CachePeriodInMinutes: 1440 }],
});

export { describeEndpoints };
