'use strict';
// Child of the cold-start bench: a fresh Node process that loads one bundle the way the Lambda
// runtime does (require for .js/.cjs, import for .mjs), which runs its module initialisation
// (imports, clients, Powertools, middy chain), and reports how long that took.
// Usage: node init-probe.cjs <bundle> <exportName>
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const { pathToFileURL } = require('node:url');
const [file, exportName] = process.argv.slice(2);

(async () => {
  const mod = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  const loaded = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStarted);
  const handler = mod[exportName] ?? (mod.default && mod.default[exportName]);
  if (typeof handler !== 'function') throw new Error(`${file} has no function export "${exportName}"`);
  const memory = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      initMs: Number(loaded - started) / 1e6,
      initCpuMs: (cpu.user + cpu.system) / 1000,
      rssMiB: memory.rss / 2 ** 20,
      heapUsedMiB: memory.heapUsed / 2 ** 20,
    }),
  );
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
