import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
(async () => {
  const variant = process.argv[2];
  const base = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  const args = variant === 'a' ? ['--headless', ...base] : variant === 'b' ? base : ['--headless=new', ...base];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args, timeout: 20000 });
  const page = await browser.newPage();
  await page.setContent('<h1>hello</h1>');
  const t = Date.now();
  await page.screenshot({ path: `/tmp/insp/v-${variant}.png`, timeout: 10000 }).then(() => console.log(variant, 'ok', Date.now() - t), (e) => console.log(variant, 'fail', e.message.split('\n')[0]));
  await browser.close();
})();
