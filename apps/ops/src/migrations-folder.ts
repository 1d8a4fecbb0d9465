import { join } from 'node:path';

// Beside this file in the source tree and beside main.js in the build (webpack copies it).
export const MIGRATIONS_FOLDER = join(__dirname, 'migrations');
