'use strict';
// What every service shares, merged with what its serverless.yml adds. YAML cannot merge maps
// across files, so these two includes do:
//   params: ${file(../../shared/serverless/merge.js):params}          params.yml + custom.params
//   provider.environment (provider.yml): ...merge.js):environment}   its `environment` + custom.environment
// The shared files are read as written: their variables resolve afterwards, like any other. The
// service's part must not use ${param:...} in custom.params (params are being built).
// Called by the framework with an async resolveConfigurationProperty, and by readers of the
// configuration as written (read-config.ts) with a synchronous one.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const shared = (file) => yaml.load(readFileSync(path.join(__dirname, file), 'utf8'));

/** Stage by stage, the shared params under the service's own. */
function mergeParams(own) {
  const common = shared('params.yml');
  const stages = new Set([...Object.keys(common), ...Object.keys(own ?? {})]);
  return Object.fromEntries([...stages].map((stage) => [stage, { ...common[stage], ...own?.[stage] }]));
}

function mergeEnvironment(own) {
  return { ...shared('provider.yml').environment, ...own };
}

/** Applies `merge` to a value or to the promise of one. */
const then = (value, merge) => (value instanceof Promise ? value.then(merge) : merge(value));

module.exports = {
  params: ({ resolveConfigurationProperty }) => then(resolveConfigurationProperty(['custom', 'params']), mergeParams),
  environment: ({ resolveConfigurationProperty }) => then(resolveConfigurationProperty(['custom', 'environment']), mergeEnvironment),
};
