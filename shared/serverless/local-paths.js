'use strict';
// Absolute paths of the local data folder and the development issuer, for serverless.yml
// (${file(...):jwksFile}) and the local-offline plugin:
// serverless offline runs from a service folder (or the local stack's copy of it under
// .local/run/), so a relative path would depend on who starts it. Same rule as
// tools/devauth/src/issuer.ts: .local/auth of the repository, or LOCAL_DATA_DIR/auth.
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

/** The repository: the nearest folder above this file whose package.json is the workspace root's. */
function repositoryRoot(start) {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'order-platform') return dir;
    if (path.dirname(dir) === dir) throw new Error(`No order-platform repository above ${start}`);
  }
}

const dataDir = path.resolve(repositoryRoot(__dirname), process.env.LOCAL_DATA_DIR || '.local');

module.exports = { dataDir, jwksFile: path.join(dataDir, 'auth', 'jwks.json') };
