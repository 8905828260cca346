import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OnFailureDestination } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * An on-failure destination for local runs: one JSON line per failure record, appended and flushed to disk
 * before `send` resolves. `eddy redrive` reads these files.
 *
 * @example
 * new EventSourceMapping({ ...options, onFailure: new FileDestination('.eddy/failures/orders.jsonl') });
 */
class FileDestination implements OnFailureDestination {
  readonly destination: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.destination = path;
  }

  send(record: OnFailureRecord): Promise<void> {
    const write = this.#writing.then(async () => {
      await mkdir(dirname(this.destination), { recursive: true });
      const file = await open(this.destination, 'a');
      try {
        await file.writeFile(`${JSON.stringify(record)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}

export { FileDestination };
