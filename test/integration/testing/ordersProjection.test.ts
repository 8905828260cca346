/**
 * The test kit's own example: template.yaml's projection (handlers/ordersProjection.ts) tested as a user tests
 * theirs, through `eddy/testing` only: the template's tables in an in-process emulator, the handler run through
 * a real event source mapping with the template's settings, writes, `settled()`, and a read of the view.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../../local-runtime/testing/index.js';

let eddy: TestEmulator;
beforeAll(async () => {
  eddy = await startTestEmulator({ template: 'template.yaml' });
  // The handler reads VIEW_TABLE and makes its DynamoDB client when it is imported: set its environment first.
  eddy.useEnvironment('OrdersProjectionFunction');
});
afterAll(() => eddy.close());

it('projects each order into the view, and leaves a tombstone for a deleted one', async () => {
  const { handler } = await import('../../../handlers/ordersProjection.js');
  await using run = await eddy.runHandler(handler, { function: 'OrdersProjectionFunction' });

  await eddy.put('OrdersTable', { orderId: 'o1', customerId: 'c1', total: 10, lines: [1, 2] });
  await eddy.put('OrdersTable', { orderId: 'o2', customerId: 'c2', status: 'PAID', total: 5 });
  await eddy.delete('OrdersTable', { orderId: 'o2' });
  await run.settled();

  expect(await eddy.get('OrderViewTable', { orderId: 'o1' })).toMatchObject({
    customerId: 'c1',
    status: 'NEW',
    total: 10,
    lineCount: 2,
  });
  expect(await eddy.get('OrderViewTable', { orderId: 'o2' })).toMatchObject({ eddy_deleted: true });
  expect(run.config).toMatchObject({
    BatchSize: 100,
    MaximumRetryAttempts: 5,
    ReportBatchItemFailures: true,
  });
});
