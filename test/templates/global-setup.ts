import { rmSync } from 'node:fs';
import { PACKAGED_DIR, STAGES, STAGE_STACKS, packageService, type StackName } from './templates';

/** Two at a time: the machines have two cores. */
const CONCURRENCY = 2;

/**
 * Packages every stack of every stage (local, dev, prod: 15 packages, no AWS credentials) before
 * the template tests. A service is never packaged for two stages at once: serverless-esbuild
 * bundles into the service's own .esbuild/ folder, which two runs would share.
 */
export default async function packageEveryStage(): Promise<void> {
  const startedAt = Date.now();
  rmSync(PACKAGED_DIR, { recursive: true, force: true });
  const queue = [...STAGE_STACKS];
  const busy = new Set<StackName>();
  const worker = async () => {
    for (;;) {
      const index = queue.findIndex(([, stack]) => !busy.has(stack));
      // What is left belongs to the stack the other worker packages: it takes those next.
      if (index === -1) return;
      const [[stage, stack]] = queue.splice(index, 1) as [(typeof queue)[number]];
      busy.add(stack);
      try {
        await packageService(stack, stage);
      } finally {
        busy.delete(stack);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  process.stdout.write(`\ntemplates: packaged ${STAGE_STACKS.length} templates (${STAGES.join(', ')}) in ${((Date.now() - startedAt) / 1000).toFixed(0)} s\n`);
}
