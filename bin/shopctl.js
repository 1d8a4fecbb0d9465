#!/usr/bin/env node
// `npx shopctl` from the repository root: runs the build in dist/apps/shopctl (npm start and
// `npx nx run shopctl:build` make it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'shopctl', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'shopctl is not built yet: run `npx nx run shopctl:build` (npm start builds it too)\n',
  );
  process.exit(2);
}
require(main);
