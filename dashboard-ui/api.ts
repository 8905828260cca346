import type { ActivityCounts } from '../local-runtime/dashboard/MappingActivity.js';

// The dashboard's JSON API (local-runtime/dashboard/dashboardPages.ts) and the emulator's control surface, on
// the page's own origin: the emulator's guards let a loopback page through.

/** The shapes /_eddy/api/state answers with (see local-runtime/dashboard/*View.ts). */
export interface ShardView {
  shardId: string;
  parentShardId?: string;
  open: boolean;
  records: number;
  createdAt: number;
  closedAt?: number;
  startingSequenceNumber: string;
  endingSequenceNumber?: string;
  trimHorizon: string;
  iteratorIssuedAt?: number;
  iteratorExpiresAt?: number;
  iteratorExpiring: boolean;
  iteratorExpired: boolean;
}
export interface StreamView {
  streamArn: string;
  tableName: string;
  viewType: string;
  status: string;
  createdAt: number;
  shards: ShardView[];
}
export interface TableView {
  tableName: string;
  itemCount: number;
  sizeBytes: number;
  keySchema: { AttributeName: string; KeyType: string }[];
  billingMode: string;
  stream?: { streamArn: string; viewType: string; enabled: boolean };
  ttlAttribute?: string;
}
export interface RegionView {
  region: string;
  accountId: string;
  tables: TableView[];
  streams: StreamView[];
}
export interface Sample {
  at: number;
  byShard: Record<string, { iteratorAge: number; recordsBehind: number }>;
}
export interface MappingView {
  mappingId: string;
  region: string;
  functionLabel: string;
  streamArn: string;
  state: string;
  settings: Record<string, unknown>;
  inFlight: number;
  recordsBehind: number;
  metrics: Record<string, number>;
  byShard: Record<string, { iteratorAge: number; recordsBehind: number; inFlight: number }>;
  activity: ActivityCounts;
  history?: Sample[];
  failuresFile?: string;
}
export interface FailureEntry {
  id: string;
  mappingIds: string[];
  range: {
    streamArn: string;
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    batchSize: number;
    firstArrival: number;
    lastArrival: number;
    condition: string;
    functionArn: string;
  };
  redriven?: { at: number; ok: boolean; message: string };
}
export interface JobView {
  /** Set for a job another process reports (eddy bootstrap, replay, redrive): its id across reports. */
  id?: string;
  name: string;
  kind: string;
  state: string;
  done: number;
  total?: number;
  unit: string;
  detail?: string;
  figures?: Record<string, number>;
  startedAt?: number;
  /** Time since the job's last report, for a job another process reports. */
  silentForMs?: number;
}
export interface State {
  dev: boolean;
  control: {
    now: number;
    manualClock: boolean;
    iteratorsValidFrom?: number;
    faults: { operation: string; kind: string; remaining: number }[];
  };
  regions: RegionView[];
  mappings: MappingView[];
  failures: { entries: FailureEntry[]; total: number; problems: { file: string; message: string }[] };
  progress: JobView[];
}

const answer = async <T>(response: Response): Promise<T> => {
  const text = await response.text();
  const body = text === '' ? {} : (JSON.parse(text) as T & { message?: string });
  if (!response.ok) {
    throw new Error((body as { message?: string }).message ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
};

export const getJson = async <T>(path: string): Promise<T> =>
  answer<T>(await fetch(path, { headers: { Accept: 'application/json' } }));

export const postJson = async <T>(path: string, body: unknown): Promise<T> =>
  answer<T>(
    await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );

/** `POST /_eddy/control/<action>`: the emulator's test control surface (advanceClock, rollOver, split, …). */
export const control = (action: string, args: Record<string, unknown> = {}): Promise<unknown> =>
  postJson(`/_eddy/control/${action}`, args);
