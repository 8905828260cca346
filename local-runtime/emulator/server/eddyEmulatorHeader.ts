/**
 * The header every AWS-protocol answer of an Eddy emulator carries (`eddy emulator`, `eddy dev`,
 * `startEmulator`), beside DynamoDB's own. A client that already talks to the endpoint learns from its first
 * answer that the endpoint is Eddy's, so it can report to the emulator's dashboard (`eddy bootstrap`, `eddy replay`,
 * `eddy redrive` do) without probing an endpoint that may be DynamoDB Local or AWS. Its value is the version of
 * the dashboard's progress API (`POST /_eddy/api/progress`).
 */
const EDDY_EMULATOR_HEADER = 'x-eddy-emulator';

/** The progress API's version, as the header carries it. */
const EDDY_EMULATOR_HEADER_VALUE = '1';

export { EDDY_EMULATOR_HEADER, EDDY_EMULATOR_HEADER_VALUE };
