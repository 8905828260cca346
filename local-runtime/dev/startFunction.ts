import { WorkerInvoker } from '../functions/WorkerInvoker.js';
import { splitHandler } from '../template/lambdaHandler.js';
import type { FunctionDefinition, LocalTemplate } from '../template/types.js';
import type { EndpointKind } from './endpointKind.js';
import { functionEnvironment } from './functionEnvironment.js';

/** Prepares the function's execution environment in the template's region, with Lambda's reserved variables. */
const startFunction = (
  fn: FunctionDefinition,
  template: LocalTemplate,
  where: {
    bundleUrl: string;
    /** How the console names this copy of the function. */
    label: string;
    endpoint: { url: string; kind: EndpointKind };
    workerUrl: URL;
    /** The keys eddy's own clients sign with, when eddy chose them. */
    credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    /** Where its output lines go; the console, each line marked with `label`, when omitted. */
    output?: (line: string) => void;
  },
): WorkerInvoker => {
  // Lambda's split: the module ends at the first dot of the file name; the rest is the export path (`a.b`).
  const exportName = splitHandler(fn.handler).exportPath;
  return new WorkerInvoker({
    functionName: fn.functionName,
    workerUrl: where.workerUrl,
    bundleUrl: where.bundleUrl,
    exportName,
    timeoutSeconds: fn.timeoutSeconds,
    memoryLimitInMB: fn.memorySize,
    region: template.region,
    accountId: template.accountId,
    // The function's own SDK clients reach the same endpoint as eddy (see functionEnvironment); the region of
    // each request (AWS_REGION, or a client's own) picks the emulator's namespace.
    environment: functionEnvironment({
      inherited: process.env,
      fn,
      region: template.region,
      endpoint: where.endpoint,
      credentials: where.credentials,
    }),
    output: where.output ?? ((line) => console.log(`[${where.label}] ${line}`)),
  });
};

export { startFunction };
