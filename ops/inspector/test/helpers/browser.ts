import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/**
 * Headless Debian Chromium (apt-get install chromium) with a fresh profile. The machine has no
 * network: these flags stop Chromium's own background traffic, which would otherwise flood
 * refused connections.
 */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  // Playwright passes --user-data-dir itself for a persistent context: a fresh directory per run.
  const profile = mkdtempSync(path.join(tmpdir(), 'inspector-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface InspectorPage {
  page: Page;
  /** Every URL the page requested, in order: the tests check that nothing leaves the inspector. */
  requests: string[];
  /** The execution names of the list's rows, top to bottom. */
  rowNames(): Promise<Array<string | null>>;
  /** A state's box in the execution graph. */
  stateOf(name: string): Locator;
}

/** A new page of `browser` that records its requests and accepts every dialog (the Redrive confirmation). */
export async function openInspectorPage(browser: Browser): Promise<InspectorPage> {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => void dialog.accept());
  return {
    page,
    requests,
    rowNames: () => page.locator('#executions tr[data-execution]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-execution'))),
    stateOf: (name) => page.locator(`#graph g[data-state="${name}"]`),
  };
}
