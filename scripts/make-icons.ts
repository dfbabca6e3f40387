// `npx tsx scripts/make-icons.ts`: draws the PNG icons of the web app manifest from
// public/favicon.svg with headless Chromium (the one the e2e tests use), so no image tool is
// needed. Writes public/icon-192.png, public/icon-512.png (transparent) and
// public/apple-touch-icon.png (180 px on the brand colour: iOS fills transparency with black).
import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('public/favicon.svg', 'utf8');
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const page = await browser.newPage();
const outputs: { file: string; size: number; background: string | null }[] = [
  { file: 'public/icon-192.png', size: 192, background: null },
  { file: 'public/icon-512.png', size: 512, background: null },
  { file: 'public/apple-touch-icon.png', size: 180, background: '#0f766e' },
];
for (const { file, size, background } of outputs) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:${background ?? 'transparent'}"><div id="icon" style="width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</div></body></html>`,
  );
  await page.locator('#icon').screenshot({ path: file, omitBackground: background === null });
  process.stdout.write(`${file}\n`);
}
await browser.close();
