import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  for (const f of process.argv.slice(2)) {
    if (f.startsWith('http')) await page.goto(f); else await page.setContent(`<body style="margin:0">${readFileSync(f, 'utf8')}</body>`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: f.startsWith('http') ? '/tmp/insp/page.png' : f.replace(/\.\w+$/, '.png'), fullPage: true });
  }
  await browser.close();
})();
