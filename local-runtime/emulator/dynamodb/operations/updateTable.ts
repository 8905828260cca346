import type { StreamViewType } from '../../../../src/records/streamRecord.js';
import { resourceInUseException, validationException } from '../../errors.js';
import type { Operation } from '../../operation.js';
import { Constraints } from '../../validation/Constraints.js';
import { checkKeyAttributeNames } from '../controlPlane/checkKeyAttributeNames.js';
import {
  applyIndexUpdates,
  checkIndexUpdatesShape,
  planIndexUpdates,
  readIndexUpdates,
} from '../controlPlane/globalIndexUpdates.js';
import { lookupTable, tableInUseException } from '../controlPlane/lookupTable.js';
import { checkSseShape, readSseSpecification } from '../controlPlane/sseSpecification.js';
import type { BillingMode } from '../controlPlane/TableState.js';
import {
  checkStreamShape,
  checkTableClass,
  checkThroughputBounds,
  checkThroughputShape,
  listMember,
} from '../controlPlane/tableShapes.js';
import { attributeDefinitionsOf, tableDescription } from '../tableDescription.js';

/** The members UpdateTable can change, as its "nothing to update" message lists them. */
const UPDATABLE_MEMBERS = [
  'ProvisionedThroughput',
  'BillingMode',
  'UpdateStreamEnabled',
  'GlobalSecondaryIndexUpdates',
  'SSESpecification',
  'ReplicaUpdates',
  'MultiAccountReplicaReady',
  'ReplicaTransitRoleArn',
  'MultiRegionConsistency',
  'DeletionProtectionEnabled',
  'OnDemandThroughput',
  'WarmThroughput',
  'TableClass',
] as const;

/** Members UpdateTable accepts that are no update by themselves. */
const NOT_UPDATES = new Set<string>([
  'MultiAccountReplicaReady',
  'ReplicaTransitRoleArn',
  'MultiRegionConsistency',
]);

const invalid = (detail: string) =>
  validationException(`One or more parameter values were invalid: ${detail}`);

const given = (value: unknown): boolean =>
  value !== undefined && value !== null && !(typeof value === 'object' && Object.keys(value).length === 0);

interface WireThroughput {
  readonly ReadCapacityUnits: number;
  readonly WriteCapacityUnits: number;
}

/**
 * Changes a table: billing mode and provisioned throughput, stream, encryption, table class, deletion
 * protection, global secondary indexes. Checked in DynamoDB's order: the request alone (shape, "nothing to
 * update", one concern per request, each member's rules), then the table (exists, not busy), then the change
 * against the table's settings; nothing changes unless everything passes.
 *
 * Changes that AWS runs as a job (throughput, billing, stream, class, indexes) answer UPDATING and keep the table
 * UPDATING for EmulatorOptions.tableStatusDelayMs; the response echoes throughput, billing and class from before
 * the update, as AWS's does. Deletion protection and encryption keep the table ACTIVE.
 */
const updateTable: Operation = (input, context) => {
  const { region, clock } = context;
  const indexUpdatesWire = listMember(input.GlobalSecondaryIndexUpdates);
  const requestDefinitions = listMember(input.AttributeDefinitions) as
    | { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[]
    | undefined;
  const constraints = new Constraints();
  requestDefinitions?.forEach((definition, i) => {
    const { AttributeName, AttributeType } = (definition ?? {}) as Record<string, unknown>;
    constraints.notNull(`attributeDefinitions.${i + 1}.member.attributeName`, AttributeName);
    constraints.notNull(`attributeDefinitions.${i + 1}.member.attributeType`, AttributeType);
    constraints.oneOf(`attributeDefinitions.${i + 1}.member.attributeType`, AttributeType ?? undefined, [
      'B',
      'N',
      'S',
    ]);
  });
  constraints.tableName('tableName', input.TableName);
  constraints.oneOf('billingMode', input.BillingMode, ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughputShape(constraints, 'provisionedThroughput', input.ProvisionedThroughput);
  checkIndexUpdatesShape(constraints, indexUpdatesWire ?? []);
  checkStreamShape(constraints, input.StreamSpecification);
  checkSseShape(constraints, input.SSESpecification);
  constraints.check();
  checkKeyAttributeNames(input);

  // What the request asks to change.
  const throughput = given(input.ProvisionedThroughput)
    ? (input.ProvisionedThroughput as WireThroughput)
    : undefined;
  const billingMode = input.BillingMode as BillingMode | undefined;
  const stream = given(input.StreamSpecification)
    ? (input.StreamSpecification as { StreamEnabled: boolean; StreamViewType?: StreamViewType })
    : undefined;
  const indexChanges = (indexUpdatesWire?.length ?? 0) > 0;
  const sseGiven = input.SSESpecification !== undefined && input.SSESpecification !== null;
  const classGiven = input.TableClass !== undefined && input.TableClass !== null;
  const protectionGiven = typeof input.DeletionProtectionEnabled === 'boolean';
  const warmGiven = given(input.WarmThroughput);
  const onDemandGiven = given(input.OnDemandThroughput);
  const replicasGiven = (listMember(input.ReplicaUpdates)?.length ?? 0) > 0;
  const concerns = [
    throughput,
    billingMode,
    stream,
    indexChanges || undefined,
    sseGiven || undefined,
    replicasGiven || undefined,
    protectionGiven || undefined,
    onDemandGiven || undefined,
    warmGiven || undefined,
    classGiven || undefined,
  ].filter((c) => c !== undefined).length;
  if (concerns === 0) {
    // The list leaves out the members that were sent but change nothing on their own.
    const missing = UPDATABLE_MEMBERS.filter((m) => !(NOT_UPDATES.has(m) && given(input[m])));
    throw validationException(
      `At least one of ${missing.slice(0, -1).join(', ')} or ${missing.at(-1)} is required`,
    );
  }
  if (indexUpdatesWire !== undefined && indexUpdatesWire.length === 0) {
    throw invalid('List of GlobalSecondaryIndexUpdates is empty');
  }
  const indexUpdates = readIndexUpdates(indexUpdatesWire ?? []);
  const createsOrDeletes = indexUpdates.some((u) => u.action !== 'Update');
  checkOneConcern({
    concerns,
    sse: sseGiven,
    tableClass: classGiven,
    protection: protectionGiven,
    warm: warmGiven,
    replicas: replicasGiven,
    onDemand: onDemandGiven,
    onlyBillingBesidesOnDemand: concerns === 2 && billingMode !== undefined,
    stream: stream !== undefined,
    iops: throughput !== undefined || billingMode === 'PROVISIONED',
    createsOrDeletes,
  });
  if (stream !== undefined) {
    if (stream.StreamEnabled && stream.StreamViewType === undefined) {
      throw invalid('If stream is being enabled then UpdateViewType is required');
    }
    if (!stream.StreamEnabled && stream.StreamViewType !== undefined) {
      throw invalid('If stream is being disabled, then UpdateViewType must not be specified');
    }
  }
  if (billingMode === 'PROVISIONED' && throughput === undefined) {
    throw invalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }
  if (billingMode === 'PAY_PER_REQUEST' && throughput !== undefined) {
    throw invalid(
      'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }
  if (throughput !== undefined) checkThroughputBounds(throughput);
  const sse = readSseSpecification(input.SSESpecification, region);
  const tableClass = checkTableClass(input.TableClass);

  // The table: it must exist and not be busy with what the request changes.
  const { table, state, status } = lookupTable(input, context);
  const now = clock.now();
  const job =
    throughput !== undefined ||
    billingMode !== undefined ||
    stream !== undefined ||
    classGiven ||
    indexChanges;
  if (status === 'CREATING' || status === 'DELETING' || (status === 'UPDATING' && job)) {
    throw tableInUseException(table.name, status);
  }
  if (sseGiven && state.sseUpdating(now)) {
    throw resourceInUseException(
      'Attempt to change a resource which is still in use: Server-Side Encryption is still being updated',
    );
  }

  // The change against the table's settings.
  const targetBilling = billingMode ?? state.billingMode;
  if (throughput !== undefined) {
    if (targetBilling === 'PAY_PER_REQUEST') {
      throw invalid(
        'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    const current = state.capacity;
    if (
      state.billingMode === 'PROVISIONED' &&
      current.read === throughput.ReadCapacityUnits &&
      current.write === throughput.WriteCapacityUnits
    ) {
      throw validationException(
        `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${current.read}. Requested ReadCapacityUnits: ${throughput.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${current.write}. Requested WriteCapacityUnits: ${throughput.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
      );
    }
  }
  const plan = planIndexUpdates(
    table,
    state,
    indexUpdates,
    targetBilling,
    requestDefinitions,
    attributeDefinitionsOf(table, state),
  );
  const latestStream = region.latestStreams.get(table.name);
  if (stream?.StreamEnabled && latestStream?.status === 'ENABLED') {
    // Real AWS answers ValidationException here, not the ResourceInUseException its docs name
    // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html;
    // the real answer is pinned in test/integration/emulator/controlPlane.test.ts).
    throw validationException(`Table already has an enabled stream: TableName: ${table.name}`);
  }
  if (stream !== undefined && !stream.StreamEnabled && latestStream?.status !== 'ENABLED') {
    throw validationException(`Table has no stream to disable: TableName: ${table.name}`);
  }
  if (sse !== undefined) {
    if (!sse.enabled && state.kmsMasterKeyArn === undefined) {
      throw invalid('Table is already encrypted by default');
    }
    if (sse.kmsMasterKeyId !== undefined && sse.kmsMasterKeyId === state.kmsMasterKeyArn) {
      throw invalid(
        'Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key',
      );
    }
  }

  // Apply.
  const before = state.snapshot();
  let changed = false;
  if (billingMode === 'PAY_PER_REQUEST' && state.billingMode === 'PROVISIONED') {
    state.payPerRequest(now);
    for (const index of table.indexes.values()) {
      if (index.global) table.updateGlobalIndexThroughput(index.name, undefined);
    }
    changed = true;
  }
  if (throughput !== undefined) {
    state.provision({ read: throughput.ReadCapacityUnits, write: throughput.WriteCapacityUnits }, now);
    changed = true;
  }
  if (indexChanges) {
    applyIndexUpdates(table, indexUpdates, plan, state);
    changed = true;
  }
  if (stream?.StreamEnabled)
    context.tableStreams.enable(table, stream.StreamViewType as StreamViewType, context);
  else if (stream !== undefined) context.tableStreams.disable(table, context);
  if (stream !== undefined) changed = true;
  if (tableClass !== undefined && tableClass !== (state.tableClass?.value ?? 'STANDARD')) {
    state.tableClass = { value: tableClass, updatedAt: now };
    changed = true;
  }
  if (protectionGiven) state.deletionProtectionEnabled = input.DeletionProtectionEnabled as boolean;
  let sseDescription: Record<string, unknown> | undefined;
  if (sse !== undefined) {
    const previousKeyArn = state.kmsMasterKeyArn;
    sseDescription =
      previousKeyArn === undefined
        ? { Status: 'UPDATING' }
        : { Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: previousKeyArn };
    state.kmsMasterKeyArn = sse.kmsMasterKeyArn;
    state.sseChange = { previousKeyArn, until: now + context.tableStatusDelayMs };
  }
  if (changed) state.startUpdate(now, context.tableStatusDelayMs);
  // A job answers UPDATING even when it changes nothing (the same billing mode or class again), as AWS does.
  const answered = job ? 'UPDATING' : status;
  return {
    TableDescription: tableDescription(table, region, {
      status: answered,
      view: 'update',
      now,
      before,
      ...(sseDescription === undefined ? {} : { sseDescription }),
    }),
  };
};

/**
 * UpdateTable changes one concern per request. Deletion protection, encryption, table class, warm throughput
 * and replicas must come alone (DynamoDB names the first of SSE, TableClass, DeletionProtection, WarmThroughput
 * when several are sent); on-demand throughput combines only with BillingMode; stream changes and index
 * creates/deletes do not combine with throughput (IOPS) changes or with each other.
 */
const checkOneConcern = (request: {
  concerns: number;
  sse: boolean;
  tableClass: boolean;
  protection: boolean;
  warm: boolean;
  replicas: boolean;
  onDemand: boolean;
  onlyBillingBesidesOnDemand: boolean;
  stream: boolean;
  iops: boolean;
  createsOrDeletes: boolean;
}): void => {
  if (request.concerns < 2) return;
  if (request.sse)
    throw invalid('Server-Side Encryption modification must be the only operation in the request');
  if (request.tableClass) throw invalid('TableClass modification must be the only operation in the request');
  if (request.protection)
    throw invalid('DeletionProtection modification must be the only operation in the request');
  if (request.warm) throw invalid('WarmThroughput must be the only operation in the request');
  if (request.replicas) throw invalid('Replica modification must be the only operation in the request');
  if (request.onDemand && !request.onlyBillingBesidesOnDemand) {
    throw invalid('OnDemandThroughput can only be combined with BillingMode in an UpdateTable request');
  }
  if (request.stream && request.iops)
    throw invalid('You cannot modify stream status while updating table IOPS');
  if (request.createsOrDeletes && request.iops) {
    throw invalid('You cannot create or delete index while updating table IOPS');
  }
  if (request.createsOrDeletes && request.stream) {
    throw invalid('You cannot create or delete index while changing stream status');
  }
};

export { updateTable };
