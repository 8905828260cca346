import { cp, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'test/fixtures/sam-build');

/**
 * A copy of test/fixtures/sam-build in a temporary folder, as a user's project: its packages
 * (`node_modules.fixture`, kept out of git's node_modules rule) become `node_modules`, with this repo's rxjs
 * linked in. Builds and failure files land in the copy, not in the repo.
 */
const samBuildFixture = async (): Promise<{ folder: string; template: string; remove(): Promise<void> }> => {
  const folder = await mkdtemp(join(tmpdir(), 'eddy-sam-build-'));
  await cp(FIXTURE, folder, { recursive: true });
  await rename(join(folder, 'node_modules.fixture'), join(folder, 'node_modules'));
  await symlink(join(ROOT, 'node_modules/rxjs'), join(folder, 'node_modules/rxjs'), 'dir');
  return {
    folder,
    template: join(folder, 'template.yaml'),
    remove: () => rm(folder, { recursive: true, force: true, maxRetries: 3 }),
  };
};

export { samBuildFixture };
