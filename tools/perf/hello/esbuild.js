// The services' esbuild settings (shared/serverless/common.yml) with the plugins path re-rooted:
// serverless-esbuild resolves it from the service folder, and this one sits a level deeper.
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

module.exports = () => {
  const { esbuild } = yaml.load(fs.readFileSync(path.join(__dirname, '../../../shared/serverless/common.yml'), 'utf8'));
  return { ...esbuild, plugins: '../../../shared/serverless/esbuild-plugins.js' };
};
