import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationFor } from '../../local-runtime/emulator/operations.js';
import { type RunningEmulator, startEmulator } from '../../local-runtime/emulator/startEmulator.js';
import {
  type DynamoDbLocal,
  skipWithoutDynamoDbLocal,
  startDynamoDbLocal,
} from '../helpers/dynamoDbLocal.js';
import { normaliseOutcomes } from './allowedDeviations.js';
import { runScenario, type Target } from './runScenario.js';
import type { Scenario } from './Scenario.js';
import { ALL_SCENARIOS } from './scenarios/allScenarios.js';

const REGION = 'us-east-1';
// Skips without Java or the package on a developer's machine; fails the run under CI.
const unavailable = skipWithoutDynamoDbLocal();

const targetAt = (endpoint: string): Target => {
  // One attempt: a retried request would hide the first answer, which is the one compared.
  const config = {
    endpoint,
    region: REGION,
    maxAttempts: 1,
    credentials: { accessKeyId: 'differential', secretAccessKey: 'differential' },
  };
  return { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
};

const destroy = (target: Target | undefined) => {
  target?.dynamodb.destroy();
  target?.streams.destroy();
};

/** The operations a scenario calls that Eddy's emulator does not serve yet. */
const unserved = (scenario: Scenario): string[] => [
  ...new Set(
    scenario.steps
      .map((step) => step.op)
      .filter((op) => op !== 'ReadStream' && operationFor(`DynamoDB_20120810.${op}`) === undefined),
  ),
];

describe.skipIf(unavailable !== undefined)('Eddy against DynamoDB Local', () => {
  let local: DynamoDbLocal | undefined;
  let eddy: RunningEmulator | undefined;
  let localTarget: Target | undefined;
  let eddyTarget: Target | undefined;

  beforeAll(async () => {
    [local, eddy] = await Promise.all([startDynamoDbLocal(), startEmulator({ port: 0 })]);
    localTarget = targetAt(local.endpoint);
    eddyTarget = targetAt(eddy.endpoint);
  }, 90_000);

  afterAll(async () => {
    destroy(localTarget);
    destroy(eddyTarget);
    await Promise.all([local?.close(), eddy?.close()]);
  });

  it('scenarios have distinct names and tables', () => {
    const names = ALL_SCENARIOS.map((scenario) => scenario.name);
    expect(new Set(names).size).toBe(names.length);
    // A table name shared by two scenarios would make the second depend on the first (the second
    // CreateTable of one name inside a scenario is deliberate: ResourceInUseException).
    const owners = new Map<string, string>();
    for (const scenario of ALL_SCENARIOS) {
      for (const step of scenario.steps) {
        if (step.op !== 'CreateTable' || typeof step.input.TableName !== 'string') continue;
        const owner = owners.get(step.input.TableName);
        expect(owner ?? scenario.name, step.input.TableName).toBe(scenario.name);
        owners.set(step.input.TableName, scenario.name);
      }
    }
    expect(owners.size).toBeGreaterThan(0);
  });

  for (const scenario of ALL_SCENARIOS) {
    const missing = unserved(scenario);
    if (missing.length > 0) {
      it.skip(`${scenario.name} (Eddy does not serve ${missing.join(', ')} yet)`, () => {});
      continue;
    }
    const test = scenario.knownBug === undefined ? it : it.fails;
    test(scenario.name, async () => {
      if (localTarget === undefined || eddyTarget === undefined) throw new Error('servers not started');
      const context = { region: REGION, steps: scenario.steps };
      const expected = normaliseOutcomes(await runScenario(localTarget, scenario), {
        ...context,
        side: 'dynamodb-local',
      });
      const actual = normaliseOutcomes(await runScenario(eddyTarget, scenario), { ...context, side: 'eddy' });
      expect(actual).toEqual(expected);
    });
  }
});
