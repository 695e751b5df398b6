'use strict';
// Absolute paths of the local development issuer, for serverless.yml (${file(...):jwksFile}):
// serverless offline runs from the service folder, so a relative path would depend on who starts it.
// Same rule as devauth/src/issuer.ts: .local/auth of the repository, or LOCAL_DATA_DIR/auth.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const dataDir = path.resolve(root, process.env.LOCAL_DATA_DIR || '.local');

module.exports = { jwksFile: path.join(dataDir, 'auth', 'jwks.json') };
