// The layers of this repository, held by rule: `npm run lint:deps` (part of `npm test`) fails on any
// dependency the rules below forbid. Floors, lowest first:
//   src/time, src/records            clock and DynamoDB stream record facts; import nothing else of src
//   src/retry                        the one retry policy (backoff with jitter on the injected clock); only src/time
//   src/pipeline                     what flows through a handler's pipeline (items, outcomes, failures, errors)
//   src/operators                    RxJS operators over pipeline items; never the handler layer that uses them
//   src/leaseTable, src/checkpoint   the lease table's item layout, checkpoint stores (used by src/runtime)
//   src/handler, src/runtime, src/dynamodb, src/index.ts
//   src/runtime, inside, one folder per stage in the order a record goes through them:
//     errors/, observability/           below everything of the runtime
//     sources/ filter/ batching/ invocation/ failures/ checkpointing/   each imports only the stages before it
//     config/                           resolves settings (it compiles FilterCriteria to check it): above filter/
//     consumer/                         one shard's loop and its lanes, running the stages; reads through sources/RecordSource
//     EventSourceMapping.ts, index.ts   the wiring and the entry point, at the top
//   local-runtime/emulator           a DynamoDB + Streams server, without cycles between its folders:
//     changes/ (ItemChange) below dynamodb/ and ttl/; streams/ above dynamodb/ (CreateTable and UpdateTable reach
//     the stream wiring through OperationContext.tableStreams); tags/ above both; persistence/ above all it
//     snapshots; server/ above control/; Emulator.ts, Region.ts and operations.ts at the top
//   local-runtime/{template,functions,dev,testing,cli}
// `src/` ships to production: it never imports `local-runtime/` or `test/`; nothing outside `test/` imports `test/`.

/**
 * Allow-lists, empty now: every cycle known when the rules came in is fixed. Should a cycle have to be let in for
 * a while, list it here with a comment that says what removes it, so the rules still fail on anything new.
 *
 * Folder cycle edges on a known cycle, as `from folder -> [to folders]`: every other edge on a folder cycle fails.
 * @type {Record<string, string[]>}
 */
const knownFolderCycleEdges = {};

/**
 * Module cycles, as `[from, to]` pairs of a two-module cycle (`no-circular` then treats them as known).
 * @type {[string, string][]}
 */
const knownModuleCycles = [];

/** The runtime's stages, in the order a record goes through them (see src/runtime/index.ts). */
const runtimeStages = ['sources', 'filter', 'batching', 'invocation', 'failures', 'checkpointing'];

/**
 * The runtime's pure decisions: given facts and settings, what happens next. Their tests need no HTTP, no
 * emulator and no sleep, so they must stay free of I/O.
 */
const runtimeDecisions = [
  'src/runtime/batching/[^/]+',
  'src/runtime/checkpointing/CheckpointTracker',
  'src/runtime/failures/nextStep',
  'src/runtime/failures/recordAge',
  'src/runtime/invocation/interpretResponse',
  'src/runtime/invocation/interpretWindowResponse',
  'src/runtime/invocation/streamEvent',
  'src/runtime/sources/live/startPositionOf',
];

const exactly = (folder) => `^${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
const anyOf = (folders) => folders.map(exactly).join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A module cycle: move what both sides share into a module below them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'A cycle between folders: the shared part belongs in a folder below both.',
      severity: 'error',
      scope: 'folder',
      from: Object.keys(knownFolderCycleEdges).length === 0 ? {} : { pathNot: anyOf(Object.keys(knownFolderCycleEdges)) },
      to: { circular: true },
    },
    ...Object.entries(knownFolderCycleEdges).map(([from, to]) => ({
      name: 'no-folder-cycles',
      comment: 'A cycle between folders: the shared part belongs in a folder below both.',
      severity: 'error',
      scope: 'folder',
      from: { path: exactly(from) },
      to: { circular: true, pathNot: anyOf(to) },
    })),
    {
      name: 'src-not-to-local-runtime',
      comment: 'src/ ships to production; local-runtime/ is dev-time only.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^local-runtime/' },
    },
    {
      name: 'not-to-test',
      comment: 'Production and dev-time code never imports tests.',
      severity: 'error',
      from: { path: '^(src|local-runtime|handlers)/' },
      to: { path: '^test/' },
    },
    {
      name: 'floors-import-no-src',
      comment: 'src/time and src/records are the floor: they import nothing else of src.',
      severity: 'error',
      from: { path: '^src/(time|records)/' },
      to: { path: '^src/', pathNot: '^src/(time|records)/' },
    },
    {
      name: 'retry-on-the-floor',
      comment: 'The retry policy serves every layer (runtime, operators, checkpoints, leases): it needs only the clock.',
      severity: 'error',
      from: { path: '^src/retry/' },
      to: { path: '^src/', pathNot: '^src/(time|retry)/' },
    },
    {
      name: 'operators-not-to-handler',
      comment: 'Operators are a library the handler layer uses; shared types live in src/pipeline.',
      severity: 'error',
      from: { path: '^src/operators/' },
      to: { path: '^src/(handler|runtime|checkpoint)/' },
    },
    {
      name: 'handler-not-to-runtime',
      comment: 'A handler runs in Lambda without the event source mapping runtime.',
      severity: 'error',
      from: { path: '^src/(handler|pipeline)/' },
      to: { path: '^src/(runtime|checkpoint|operators|dynamodb)/' },
    },
    {
      name: 'checkpoint-below-runtime',
      comment: 'Checkpoint stores and the lease table layout are contracts the runtime uses; they never import it.',
      severity: 'error',
      from: { path: '^src/(checkpoint|leaseTable)/' },
      to: { path: '^src/(runtime|handler|operators|dynamodb)/' },
    },
    {
      name: 'runtime-stages-below-wiring',
      comment:
        'A stage (and the runtime floor) never imports what runs it: consumer/, EventSourceMapping.ts or index.ts. Types the wiring and a stage share live in the stage or below.',
      severity: 'error',
      from: { path: `^src/runtime/(${[...runtimeStages, 'config', 'errors', 'observability'].join('|')})/` },
      to: { path: '^src/runtime/(consumer/|EventSourceMapping\\.ts$|index\\.ts$)' },
    },
    {
      name: 'runtime-consumer-below-mapping',
      comment: 'consumer/ runs one shard; the mapping (EventSourceMapping.ts) and the entry point use it, never the other way round.',
      severity: 'error',
      from: { path: '^src/runtime/consumer/' },
      to: { path: '^src/runtime/(EventSourceMapping|index)\\.ts$' },
    },
    ...runtimeStages.slice(0, -1).map((stage, i) => ({
      name: 'runtime-stages-in-flow-order',
      comment: `${stage}/ comes before ${runtimeStages.slice(i + 1).join('/, ')}/ in a record's path: it imports none of them.`,
      severity: 'error',
      from: { path: `^src/runtime/${stage}/` },
      to: { path: `^src/runtime/(${runtimeStages.slice(i + 1).join('|')})/` },
    })),
    {
      name: 'runtime-stages-take-settings-as-values',
      comment:
        'config/ validates every setting (FilterCriteria included, so it sits above filter/); stages take the settings they read as values or their own types.',
      severity: 'error',
      from: { path: `^src/runtime/(${runtimeStages.join('|')})/` },
      to: { path: '^src/runtime/config/' },
    },
    {
      name: 'runtime-floor',
      comment: 'errors/ and observability/ serve every stage of the runtime: they import no other part of it.',
      severity: 'error',
      from: { path: '^src/runtime/(errors|observability)/' },
      to: { path: '^src/runtime/', pathNot: '^src/runtime/(errors|observability)/' },
    },
    {
      name: 'runtime-reads-through-the-seam',
      comment:
        'consumer/ reads records only through sources/RecordSource (ShardReader), so a tape, a range or a snapshot plugs in where live shards do; live/ and leases/ are for the wiring.',
      severity: 'error',
      from: { path: '^src/runtime/consumer/' },
      to: { path: '^src/runtime/sources/(live|leases)/' },
    },
    {
      name: 'runtime-decisions-are-pure',
      comment:
        "The runtime's decisions (retry, bisect, discard, windows, batching, checkpoint position, lineage) take facts and return what happens next: no AWS SDK, no file system, no network, no timers (time comes in as a number).",
      severity: 'error',
      from: { path: `^(${runtimeDecisions.join('|')})\\.ts$` },
      to: {
        path: '(^|/)node_modules/(@aws-sdk|@smithy)/|^(node:)?(fs|fs/promises|http|https|net|dgram|child_process|timers|timers/promises)$|^src/time/',
      },
    },
    {
      name: 'runtime-one-retry-policy',
      comment: 'Every retry in the runtime goes through src/retry (backoff with jitter on the injected clock), never p-retry and its real timers.',
      severity: 'error',
      from: { path: '^src/runtime/' },
      to: { path: '(^|/)node_modules/p-retry/' },
    },
    {
      name: 'redrive-above-runtime',
      comment: 'Redrive reads failure records and feeds their ranges to the runtime: the runtime never imports it (only its top, redrive.ts and the eddy/runtime entry point, uses it).',
      severity: 'error',
      from: {
        path: '^src/(runtime|checkpoint|tape|operators|handler|pipeline|records|retry|time)/',
        pathNot: '^src/runtime/(index|redrive)\\.ts$',
      },
      to: { path: '^src/redrive/' },
    },
    {
      name: 'emulator-stands-alone',
      comment: 'The emulator is a server on its own; the dev tools use it, not the other way round.',
      severity: 'error',
      from: { path: '^local-runtime/emulator/' },
      to: { path: '^local-runtime/(cli|dev|template|functions|testing)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    knownViolations: knownModuleCycles.map(([from, to]) => ({
      type: 'cycle',
      from,
      to,
      rule: { severity: 'error', name: 'no-circular' },
      cycle: [from, to].map((name) => ({ name, dependencyTypes: [] })),
    })),
  },
};
