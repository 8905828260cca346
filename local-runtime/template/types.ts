import type { EsbuildSettings } from './esbuildProperties.js';
import type { TemplateError } from './TemplateError.js';

/**
 * What `eddy dev` needs from a SAM template: the tables to create in the emulator and the functions whose
 * `Type: DynamoDB` events it runs, with every intrinsic function already resolved for the local environment.
 */

/** A template read and resolved for local use. */
interface LocalTemplate {
  /** Absolute path of the template file. */
  path: string;
  stackName: string;
  region: string;
  accountId: string;
  /** Every `AWS::DynamoDB::Table` and `AWS::Serverless::SimpleTable` whose Condition (if any) holds. */
  tables: TableDefinition[];
  /** Every `AWS::Serverless::Function` that has at least one `Type: DynamoDB` event. */
  functions: FunctionDefinition[];
}

/** One table, ready to be created. */
interface TableDefinition {
  logicalId: string;
  /**
   * DynamoDB CreateTable input in wire JSON: TableName, KeySchema, AttributeDefinitions, BillingMode,
   * ProvisionedThroughput?, GlobalSecondaryIndexes?, LocalSecondaryIndexes?,
   * StreamSpecification?: { StreamEnabled: true, StreamViewType }, SSESpecification?, TableClass?,
   * DeletionProtectionEnabled?, Tags?.
   */
  createTableInput: Record<string, unknown>;
  /** From `TimeToLiveSpecification`, applied with UpdateTimeToLive after the table exists. */
  timeToLive?: { AttributeName: string; Enabled: boolean };
}

/** One function with its build inputs and its DynamoDB event source mappings. */
interface FunctionDefinition {
  logicalId: string;
  /** `FunctionName`, or `${stackName}-${logicalId}`. */
  functionName: string;
  /** e.g. `ordersProjection.handler`. */
  handler: string;
  /** e.g. `nodejs22.x`. */
  runtime: string;
  /** Absolute directory: `CodeUri` relative to the template's folder, default the folder itself. */
  codeUri: string;
  /** SAM default 3. */
  timeoutSeconds: number;
  /** SAM default 128. */
  memorySize: number;
  environment: Record<string, string>;
  /**
   * `method` is `Metadata.BuildMethod`; `properties` is `Metadata.BuildProperties` as written. `builder` is
   * `esbuild` for `BuildMethod: esbuild` (bundled as `sam build` does, with `esbuild` the checked settings) and
   * `none` without Metadata (SAM's npm builder copies CodeUri as is). `entryPoints` are absolute: esbuild's
   * entry points, or the Handler's `.js`/`.mjs`/`.cjs` file that Lambda would load.
   */
  build: {
    method?: string;
    builder: 'esbuild' | 'none';
    entryPoints: string[];
    properties: Record<string, unknown>;
    esbuild?: EsbuildSettings;
  };
  events: DynamoDBEventDefinition[];
}

/** One `Events.<name>` entry with `Type: DynamoDB`. */
interface DynamoDBEventDefinition {
  /** The key under `Events`. */
  name: string;
  /** `Resources.<Fn>.Properties.Events.<name>.Properties`. */
  location: string;
  /** The table whose stream feeds the event; `''` when `Stream` was a literal ARN. */
  tableLogicalId: string;
  /** Only when `Stream` was a literal ARN. */
  streamArn?: string;
  /** Every other property, intrinsics resolved, `Stream` removed; values otherwise untouched. */
  properties: Record<string, unknown>;
}

/**
 * What `Fn::GetAtt <Table>.StreamArn` resolves to: the stream ARN exists only once the emulator has created the
 * table, so the caller substitutes it.
 */
interface StreamArnMarker {
  streamOf: string;
}

/** Options shared by `loadTemplate` and `parseTemplate`. */
interface LoadTemplateOptions {
  /** @default 'eddy' */
  stackName?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '000000000000' */
  accountId?: string;
  /** Parameter name → value; wins over the parameter's Default. */
  parameterOverrides?: Record<string, string>;
  /**
   * A further check of each `Type: DynamoDB` event's resolved properties (`eddy dev` passes the event source
   * mapping's settings check); each problem is reported at `<event>.Properties.<property>` with the others.
   */
  checkEventProperties?: (
    properties: Readonly<Record<string, unknown>>,
  ) => readonly { readonly property: string; readonly problem: string }[];
  /**
   * Where the problems of single resources go instead of being thrown: the template comes back without those
   * resources, so the caller can add what its own checks find (`eddy dev` builds the rest and checks their
   * Handler exports) and report every problem in one go. Problems of the template as a whole still throw.
   */
  resourceProblems?: TemplateError[];
}

export type {
  DynamoDBEventDefinition,
  FunctionDefinition,
  LoadTemplateOptions,
  LocalTemplate,
  StreamArnMarker,
  TableDefinition,
};
