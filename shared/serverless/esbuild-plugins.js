'use strict';
// esbuild plugins of every service (common.yml: esbuild.plugins), loaded by serverless-esbuild.
const { readFile } = require('node:fs/promises');

/**
 * `import { z } from 'zod'` keeps zod's whole `z` object in a bundle (every locale and the JSON
 * Schema tooling: ~360 KiB and tens of ms of cold start, measured by `npm run bench:cold`), where
 * `import * as z from 'zod'` lets esbuild keep only what is used. The project's own code imports
 * the namespace (a unit test guards it); Powertools' parser schemas use the named import, so they
 * are rewritten while bundling. Same meaning: those files use `z` only as `z.<export>`.
 */
const zodNamespaceImport = {
  name: 'zod-namespace-import',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-lambda-powertools[\\/]parser[\\/]lib[\\/]esm[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"), loader: 'js' };
    });
  },
};

module.exports = [zodNamespaceImport];
