import { type Check, ShapeCompiler } from './compileShape.js';
import { inputSchemaFor } from './operationSchemas.js';

const compiler = new ShapeCompiler();
/** By target: the compiled check of its input shape, or null for a target the SDK's model does not know. */
const checks = new Map<string, Check | null>();

/** The compiled input check of an operation, built on first use. */
const inputCheckFor = (target: string): Check | undefined => {
  let check = checks.get(target);
  if (check === undefined) {
    const schema = inputSchemaFor(target);
    check = schema === undefined ? null : compiler.compile(schema);
    checks.set(target, check);
  }
  return check ?? undefined;
};

/**
 * Checks a request's parsed JSON body against its operation's input shape from AWS's service model, as
 * DynamoDB's JSON reader does before the operation runs: a JSON type that does not fit is a
 * SerializationException, attribute values nested beyond 32 levels a ValidationException. Members sent as
 * `null` are removed and booleans spelled as strings read as booleans, in place. Targets the model does not
 * know (the emulator's own control operations) pass unchecked.
 */
const checkWireTypes = (target: string, input: Record<string, unknown>): void => {
  inputCheckFor(target)?.(input, 0);
};

export { checkWireTypes, inputCheckFor };
