import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Runs `before` each time `client` is about to send one of `commands` (by name, e.g. 'UpdateItemCommand'; with
 * the command's input): a
 * real SDK client against the emulator with a step added to its middleware stack, so a test can have another
 * writer change a row between a reader's read and its conditional write, for real.
 */
const beforeCommand = (
  client: DynamoDBClient,
  commands: readonly string[],
  before: (commandName: string, input: Record<string, unknown>) => Promise<void>,
): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      if (commands.includes(name)) await before(name, args.input as Record<string, unknown>);
      return next(args);
    },
    { step: 'initialize', name: 'eddyTestBeforeCommand' },
  );
};

export { beforeCommand };
