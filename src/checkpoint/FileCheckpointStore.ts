import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Checkpoint, type CheckpointEntry, CheckpointStore } from './CheckpointStore.js';

type Contents = Record<string, Record<string, Checkpoint>>;

/**
 * Checkpoints in one JSON file, replaced atomically: written to a temporary file, flushed to disk, renamed
 * over the old one, and the folder flushed, so a crash leaves either the old file or the new one.
 *
 * @example
 * const mapping = new EventSourceMapping({ ...options, checkpoints: new FileCheckpointStore('.eddy/checkpoints.json') });
 */
class FileCheckpointStore extends CheckpointStore {
  readonly path: string;
  #contents: Promise<Contents> | undefined;
  /** Writes run one at a time, so two shards checkpointing together never lose each other's update. */
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    super();
    this.path = path;
  }

  protected override async _read(mappingId: string, shardId: string): Promise<Checkpoint | undefined> {
    const contents = await this.#load();
    const byShard = Object.hasOwn(contents, mappingId) ? contents[mappingId] : undefined;
    return byShard !== undefined && Object.hasOwn(byShard, shardId) ? byShard[shardId] : undefined;
  }

  protected override _write(mappingId: string, shardId: string, checkpoint: Checkpoint): Promise<void> {
    const write = this.#writing.then(async () => {
      const contents = await this.#load();
      const byShard = Object.hasOwn(contents, mappingId)
        ? (contents[mappingId] as Record<string, Checkpoint>)
        : {};
      contents[mappingId] = { ...byShard, [shardId]: { ...checkpoint } };
      await this.#persist(contents);
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }

  protected override async _list(): Promise<CheckpointEntry[]> {
    const contents = await this.#load();
    return Object.entries(contents).flatMap(([mappingId, byShard]) =>
      Object.entries(byShard).map(([shardId, checkpoint]) => ({
        mappingId,
        shardId,
        checkpoint: { ...checkpoint },
      })),
    );
  }

  #load(): Promise<Contents> {
    this.#contents ??= readFile(this.path, 'utf8').then(
      (text) => JSON.parse(text) as Contents,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return {};
        throw error;
      },
    );
    return this.#contents;
  }

  async #persist(contents: Contents): Promise<void> {
    const folder = dirname(this.path);
    await mkdir(folder, { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(`${JSON.stringify(contents, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    const directory = await open(folder, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}

export { FileCheckpointStore };
