export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early with this error (e.g. the process being waited for has exited). */
  failFast?: () => Error | undefined;
  description: string;
}

/** Polls `probe` until it returns true; throws on timeout or when `failFast` reports a failure. */
export async function waitUntil(probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const failure = options.failFast?.();
    if (failure) throw failure;
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(options.timeoutMs / 1000)} s waiting for ${options.description}`);
    await sleep(options.intervalMs ?? 100);
  }
}
