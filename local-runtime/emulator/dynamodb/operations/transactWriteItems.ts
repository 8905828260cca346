import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { AwsServiceError, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { validateItem } from '../attributes/validateItem.js';
import { chargeItemWrite } from '../capacity/chargeItemWrite.js';
import {
  type CapacityUsage,
  consumedCapacitiesMember,
  itemReadUnits,
  RETURN_CONSUMED_CAPACITY,
  usageFor,
} from '../capacity/consumedCapacity.js';
import {
  itemCollectionMetricsMember,
  RETURN_ITEM_COLLECTION_METRICS,
} from '../capacity/itemCollectionMetrics.js';
import { clientRequestTokens, requestFingerprint } from '../clientRequestTokens.js';
import { checkLength } from '../collectionConstraints.js';
import { compileExpressions, evaluateCondition } from '../expressions/index.js';
import { keyIdentity } from '../keyIdentity.js';
import { validateKey } from '../keySchema.js';
import { checkExpressionParameters, type ExpressionMember } from '../legacy/checkExpressionParameters.js';
import type { PreparedWrite } from '../PreparedWrite.js';
import type { TableScope } from '../requireTable.js';
import type { Table } from '../Table.js';
import { checkTableReference, tableByReference } from '../tableReference.js';
import { transactionKeyFault } from '../transactionKeyFault.js';
import { withSchemaKeyErrors } from '../withSchemaKeyErrors.js';
import { prepareDelete } from './deleteItem.js';
import { preparePut } from './putItem.js';
import { prepareUpdate } from './updateItem.js';

/** At most 100 actions in one transaction. */
const MAX_ACTIONS = 100;

type ActionName = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const ACTION_NAMES: readonly ActionName[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

/** Per action: its member name in constraint messages, the members it requires, its expressions. */
const ACTIONS: Readonly<
  Record<
    ActionName,
    { member: string; required: readonly string[]; expressions: readonly ExpressionMember[] }
  >
> = {
  ConditionCheck: {
    member: 'conditionCheck',
    required: ['ConditionExpression', 'Key'],
    expressions: ['ConditionExpression'],
  },
  Put: { member: 'put', required: ['Item'], expressions: ['ConditionExpression'] },
  Delete: { member: 'delete', required: ['Key'], expressions: ['ConditionExpression'] },
  Update: {
    member: 'update',
    required: ['Key', 'UpdateExpression'],
    expressions: ['UpdateExpression', 'ConditionExpression'],
  },
};

interface Action {
  readonly name: ActionName;
  readonly request: Record<string, unknown>;
}

const present = (value: unknown): boolean => value !== undefined && value !== null;
const lowerFirst = (name: string): string => `${name.charAt(0).toLowerCase()}${name.slice(1)}`;

/**
 * The request's constraints, in DynamoDB's order: the top-level members, then that each item holds exactly one
 * action, then each action's members.
 */
const readActions = (input: Record<string, unknown>): Action[] => {
  const constraints = new Constraints();
  constraints.oneOf('returnConsumedCapacity', input.ReturnConsumedCapacity, RETURN_CONSUMED_CAPACITY);
  constraints.oneOf(
    'returnItemCollectionMetrics',
    input.ReturnItemCollectionMetrics,
    RETURN_ITEM_COLLECTION_METRICS,
  );
  constraints.length('clientRequestToken', input.ClientRequestToken, 1, 36);
  constraints.notNull('transactItems', input.TransactItems);
  checkLength(constraints, 'transactItems', input.TransactItems, 1, MAX_ACTIONS);
  constraints.check();

  const actions = (input.TransactItems as (Record<string, unknown> | null)[]).map((item): Action => {
    const names = ACTION_NAMES.filter((name) => present(item?.[name]));
    if (names.length === 0) {
      throw validationException(
        'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request',
      );
    }
    if (names.length > 1) {
      throw validationException('TransactItems can only contain one of Check, Put, Update or Delete');
    }
    const name = names[0] as ActionName;
    return { name, request: item?.[name] as Record<string, unknown> };
  });

  actions.forEach(({ name, request }, i) => {
    const member = `transactItems.${i + 1}.member.${ACTIONS[name].member}`;
    checkTableReference(constraints, `${member}.tableName`, request.TableName);
    constraints.oneOf(
      `${member}.returnValuesOnConditionCheckFailure`,
      request.ReturnValuesOnConditionCheckFailure,
      ['ALL_OLD', 'NONE'],
    );
    for (const required of ACTIONS[name].required) {
      constraints.notNull(`${member}.${lowerFirst(required)}`, request[required]);
    }
  });
  constraints.check();
  return actions;
};

/** TransactWriteItems' ConditionCheck: a condition on an item the transaction does not write. */
const prepareConditionCheck = (table: Table, request: Record<string, unknown>): PreparedWrite => ({
  kind: 'check',
  table,
  key: validateKey(table.definition.keySchema, validateItem(request.Key, 'Key')),
  condition: compileExpressions(request).condition,
  apply: (existing) => existing,
});

const PREPARE: Readonly<
  Record<ActionName, (table: Table, request: Record<string, unknown>) => PreparedWrite>
> = {
  ConditionCheck: prepareConditionCheck,
  Put: preparePut,
  Delete: prepareDelete,
  Update: prepareUpdate,
};

/** At most 4 MB of items in one transaction (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html). */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

const NO_KEY: AttributeMap = {};

/**
 * Every action checked against its table, with no two on one item. The checks that need no table come first,
 * action by action in request order (expression parameters and values, the item or key values, the
 * expressions' syntax), then each action against its table: a malformed expression or value on a later action
 * is reported ahead of a missing table on an earlier one, as DynamoDB orders them (undocumented; pinned by
 * test/integration/emulator/transactionLimits.test.ts). An action
 * whose key attributes have the wrong type becomes a write that only carries that fault, reported as its
 * cancellation reason (`transactionKeyFault`).
 */
const prepareActions = (scope: TableScope, actions: readonly Action[]): PreparedWrite[] => {
  const checked = actions.map(({ name, request }) => {
    checkExpressionParameters(request, ACTIONS[name].expressions, []);
    const values = name === 'Put' ? validateItem(request.Item, 'Item') : validateItem(request.Key, 'Key');
    compileExpressions(request);
    return values;
  });
  const seen = new Set<string>();
  const writes = actions.map(({ name, request }, i) => {
    const table = tableByReference(scope, request.TableName as string);
    const fault = transactionKeyFault(table.definition.keySchema, name, checked[i] as AttributeMap);
    if (fault !== undefined) {
      return {
        kind: name === 'ConditionCheck' ? 'check' : (lowerFirst(name) as PreparedWrite['kind']),
        table,
        key: NO_KEY,
        condition: undefined,
        fault: validationException(fault),
        apply: () => undefined,
      } satisfies PreparedWrite;
    }
    const write = withSchemaKeyErrors(() => PREPARE[name](table, request));
    const identity = keyIdentity(table.name, write.key);
    if (seen.has(identity)) {
      throw validationException('Transaction request cannot include multiple operations on one item');
    }
    seen.add(identity);
    return write;
  });
  checkTransactionSize(writes, actions, checked);
  return writes;
};

/**
 * The 4 MB limit on a transaction's items: a Put counts its item, the other actions their key. DynamoDB's
 * wording is not documented; this is DynamoDB Local's ("Transaction payload size cannot exceed 4MB. Payload
 * Size: N", N counted the same way).
 */
const checkTransactionSize = (
  writes: readonly PreparedWrite[],
  actions: readonly Action[],
  checked: readonly AttributeMap[],
): void => {
  let total = 0;
  writes.forEach((write, i) => {
    total += itemSize((actions[i] as Action).name === 'Put' ? (checked[i] as AttributeMap) : write.key);
  });
  if (total > MAX_TRANSACTION_BYTES) {
    throw validationException(`Transaction payload size cannot exceed 4MB. Payload Size: ${total}`);
  }
};

type CancellationReason = Record<string, unknown> & { readonly Code: string };

interface Outcome {
  readonly reason: CancellationReason;
  readonly existing?: AttributeMap | undefined;
  readonly next?: AttributeMap | undefined;
}

/**
 * What one action would do against the item as it is now: its new item, or why the transaction must be
 * cancelled (its condition failed, or its effect is invalid for this item). Nothing is written here.
 */
const evaluate = (write: PreparedWrite, request: Record<string, unknown>): Outcome => {
  if (write.fault !== undefined) return { reason: { Code: 'ValidationError', Message: write.fault.message } };
  const existing = write.table.getItem(write.key);
  if (write.condition !== undefined && !evaluateCondition(write.condition, existing)) {
    const withItem = request.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing !== undefined;
    return {
      reason: {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(withItem ? { Item: existing } : {}),
      },
    };
  }
  try {
    return { reason: { Code: 'None' }, existing, next: write.apply(existing) };
  } catch (error) {
    if (error instanceof AwsServiceError && error.name === 'ValidationException') {
      return { reason: { Code: 'ValidationError', Message: error.message } };
    }
    throw error;
  }
};

/**
 * DynamoDB's TransactionCanceledException: a reason per action, in order, and the codes in the message. As in
 * the bodies AWS sends, the message travels as `Message`, after `CancellationReasons`.
 */
const transactionCanceledException = (reasons: readonly CancellationReason[]) =>
  new AwsServiceError('TransactionCanceledException', undefined, {
    members: {
      CancellationReasons: reasons,
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    },
  });

const idempotentParameterMismatchException = (token: string) =>
  new AwsServiceError(
    'IdempotentParameterMismatchException',
    `ClientRequestToken ${token} was used within the last 10 minutes with a different request`,
  );

/**
 * The answer to a repeated request (same ClientRequestToken, same actions, within 10 minutes): nothing is written
 * again, and the capacity reported is that of reading the items, as DynamoDB reports it.
 */
const replay = (
  writes: readonly PreparedWrite[],
  input: Record<string, unknown>,
): Record<string, unknown> => {
  const usages = new Map<string, CapacityUsage>();
  for (const { table, key } of writes) {
    usageFor(usages, table.name).addRead(itemReadUnits(table.getItem(key), 'strong'));
  }
  return consumedCapacitiesMember(input.ReturnConsumedCapacity, usages.values());
};

/**
 * Up to 100 actions (ConditionCheck, Put, Update, Delete) on items of one or more tables, all or nothing. Every
 * action is checked, and every condition evaluated against the items as they are, before anything is written;
 * if any fails, TransactionCanceledException lists a reason per action, in order, and nothing is written (no
 * stream record). Otherwise each write goes through `Table.write`, one stream record per changed item.
 *
 * A ClientRequestToken makes the call idempotent for 10 minutes (on the injected clock): the same actions again
 * return success without writing; different actions with the same token get IdempotentParameterMismatchException.
 */
const transactWriteItems: Operation = (input, context) => {
  const { region, clock } = context;
  const actions = readActions(input);
  const writes = prepareActions(context, actions);
  const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : undefined;
  const fingerprint = requestFingerprint(input.TransactItems);
  if (token !== undefined) {
    const record = clientRequestTokens.lookup(region, token, clock.now());
    if (record !== undefined) {
      if (record.fingerprint !== fingerprint) throw idempotentParameterMismatchException(token);
      return replay(writes, input);
    }
  }

  const outcomes = writes.map((write, i) => evaluate(write, (actions[i] as Action).request));
  if (outcomes.some(({ reason }) => reason.Code !== 'None')) {
    throw transactionCanceledException(outcomes.map(({ reason }) => reason));
  }

  const usages = new Map<string, CapacityUsage>();
  writes.forEach(({ kind, table, key }, i) => {
    const { existing, next } = outcomes[i] as Outcome;
    const usage = usageFor(usages, table.name);
    if (kind === 'check') {
      usage.addRead(itemReadUnits(existing, 'transactional'));
      return;
    }
    table.write(key, next);
    chargeItemWrite(usage, table, key, existing, next, true);
  });
  if (token !== undefined) clientRequestTokens.remember(region, token, fingerprint, clock.now());
  return {
    ...consumedCapacitiesMember(input.ReturnConsumedCapacity, usages.values()),
    ...itemCollectionMetricsMember(
      input.ReturnItemCollectionMetrics,
      writes.filter(({ kind }) => kind !== 'check'),
    ),
  };
};

export type { CancellationReason };
export { transactionCanceledException, transactWriteItems };
