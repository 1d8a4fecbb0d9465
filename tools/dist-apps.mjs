// Where the build leaves each service (dist/apps/<service>/main.js), for the tools that start
// them from there: npm start (tools/start-system.mjs) and the bench (tools/bench).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_COMMAND = 'npx nx run-many -t build --projects=tag:type:app';

/** The service's bundle, as `BUILD_COMMAND` writes it. */
export function distMain(service) {
  return join(REPO_ROOT, 'dist', 'apps', service, 'main.js');
}

/** Why the service cannot start from dist (its bundle is missing), or undefined. */
export function missingBuild(service) {
  const main = distMain(service);
  return existsSync(main) ? undefined : `${main} is missing; build first: ${BUILD_COMMAND}`;
}
