// Pictures for slides and notes: the sequence diagram, the token timeline, the compare exposure
// chart and the trade-off chart as SVG (standalone: it parses on its own and names what the screen
// shows) and PNG (twice the size), the diagram as Mermaid text (checked with a strict grammar of
// sequenceDiagram), and the trace and the measures as CSV.
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousAxeViolations, freshStart, region, shot, test } from './fixtures';
import { mermaidSequenceErrors } from './mermaid-grammar';

async function exportFrom(page: Page, menu: Locator, item: string): Promise<{ name: string; bytes: Buffer }> {
  const toggle = menu.getByRole('button', { name: /^Export/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: item }).click()]);
  await expect(menu.getByRole('status')).toContainText('✓ Saved');
  const name = download.suggestedFilename();
  // Kept for people to look at, beside the screenshots.
  await download.saveAs(`test-results/exports/${name}`);
  return { name, bytes: readFileSync((await (download as Download).path())!) };
}

/** Parses an SVG file with the browser's XML parser: its error (if any), root, background and every text. */
async function parseSvg(page: Page, svg: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const error = doc.querySelector('parsererror')?.textContent ?? null;
    const root = doc.documentElement;
    return {
      error,
      root: root.localName,
      namespace: root.namespaceURI,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      title: doc.querySelector('title')?.textContent ?? null,
      background: root.querySelector(':scope > rect')?.getAttribute('fill') ?? null,
      classes: doc.querySelectorAll('[class]').length,
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent ?? ''),
    };
  }, svg);
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the sequence diagram and the token timeline as SVG, PNG, Mermaid and CSV', async ({ page, context, offsite }) => {
  void offsite;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await freshStart(page);
  const client = region(page, 'Client');
  const attacker = region(page, 'Attacker');
  await client.getByRole('button', { name: 'Log in' }).click();
  await attacker.getByRole('button', { name: 'Steal refresh token' }).click();
  await page.getByRole('button', { name: '+5 minutes' }).click();
  await client.getByRole('button', { name: 'Call API' }).click();
  await client.getByRole('button', { name: 'Refresh', exact: true }).click();
  await attacker.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(page.getByRole('log', { name: 'Narration' })).toContainText('That is reuse');

  const diagram = page.getByRole('figure').filter({ has: page.getByText('Sequence diagram', { exact: true }) });
  const shown = (await diagram.locator('svg[role="group"] text').allTextContents())
    .map((t) => t.trim())
    .filter((t) => t && !/^(Show all|Collapse)/.test(t));
  expect(shown.length).toBeGreaterThan(8);

  const svgFile = await exportFrom(page, diagram, 'Save as SVG');
  expect(svgFile.name).toBe('tokenscope-sequence-sandbox.svg');
  const svg = await parseSvg(page, svgFile.bytes.toString('utf8'));
  expect(svg.error).toBeNull();
  expect(svg.root).toBe('svg');
  expect(svg.namespace).toBe('http://www.w3.org/2000/svg');
  expect(svg.classes).toBe(0);
  expect(svg.background).toBe('#ffffff');
  // It names every message and mark the diagram shows, and the four parties.
  const exported = svg.texts.map((t) => t.trim());
  for (const text of shown) expect(exported, text).toContain(text);
  for (const party of ['Client', 'Attacker', 'Authorization server', 'Resource server']) expect(exported).toContain(party);
  expect(exported.join(' ')).toContain('reuse');

  const png = await exportFrom(page, diagram, 'Save as PNG (2×)');
  expect(png.name).toBe('tokenscope-sequence-sandbox.png');
  expect(pngSize(png.bytes)).toEqual({ width: svg.width * 2, height: svg.height * 2 });

  await diagram.getByRole('button', { name: 'Copy as Mermaid' }).click();
  await expect(diagram.getByRole('status')).toHaveText('✓ Copied the diagram as Mermaid text');
  const mermaid = await page.evaluate(() => navigator.clipboard.readText());
  expect(mermaidSequenceErrors(mermaid)).toEqual([]);
  expect(mermaid).toContain('participant AS as Authorization server');
  expect(mermaid).toMatch(/^ {2}AS--xAttacker: .*reuse/m);

  const csv = (await exportFrom(page, diagram, 'Save the trace as CSV')).bytes.toString('utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('seq,time (UTC),seconds since start,event,cause,details (JSON)');
  expect(lines[1]).toMatch(/^0,2026-01-05T09:00:00Z,0,[A-Za-z]+,command,/);
  await shot(page, 'export-sequence-menu');
  await expectNoSeriousAxeViolations(page, 'the export menu, open');

  // The token timeline: the drawing on screen, in the colours it shows.
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Token timeline' }).click();
  const timeline = page.getByRole('figure').filter({ has: page.getByText('Token timeline', { exact: true }) });
  const timelineSvg = await parseSvg(page, (await exportFrom(page, timeline, 'Save as SVG')).bytes.toString('utf8'));
  expect(timelineSvg.error).toBeNull();
  expect(timelineSvg.classes).toBe(0);
  expect(timelineSvg.texts).toEqual(expect.arrayContaining(['AT#1', 'RT#1', 'RT#2', 'now']));
  const timelinePng = await exportFrom(page, timeline, 'Save as PNG (2×)');
  expect(pngSize(timelinePng.bytes)).toEqual({ width: timelineSvg.width * 2, height: timelineSvg.height * 2 });
});

test('the compare exposure chart, the measures and the trade-off chart', async ({ page, offsite }) => {
  void offsite;
  await page.goto('/#compare=rotation-client-first&a=static-refresh&b=rotating-refresh');
  const results = page.getByRole('region', { name: /rotation/i }).filter({ has: page.getByRole('table') });
  await expect(results.getByRole('table')).toBeVisible({ timeout: 30_000 });
  const menu = results
    .locator('div')
    .filter({ has: page.getByRole('button', { name: 'Export the comparison' }) })
    .last();

  const exposure = await parseSvg(page, (await exportFrom(page, menu, 'Exposure chart: save as SVG')).bytes.toString('utf8'));
  expect(exposure.error).toBeNull();
  expect(exposure.classes).toBe(0);
  expect(exposure.title).toMatch(/^Attacker exposure: /);
  expect(exposure.texts.join(' ')).toMatch(/A/);
  const measures = (await exportFrom(page, menu, 'Measures as CSV')).bytes.toString('utf8').split('\r\n');
  expect(measures[0]).toMatch(
    /^group,measure,A · .*,B · .*,A · .* \(number\),B · .* \(number\),better,"?which is better, and why"?,difference$/,
  );
  expect(measures.length).toBeGreaterThan(5);

  const chart = page.getByRole('region', { name: 'Trade-off: access-token lifetime' });
  await chart.getByRole('button', { name: /Run sweep|Show sweep/ }).click();
  await expect(chart.getByRole('img')).toBeVisible({ timeout: 60_000 });
  const tradeoff = await parseSvg(page, (await exportFrom(page, chart, 'Save as SVG')).bytes.toString('utf8'));
  expect(tradeoff.error).toBeNull();
  expect(tradeoff.texts.length).toBeGreaterThan(5);
  const png = await exportFrom(page, chart, 'Save as PNG (2×)');
  expect(pngSize(png.bytes)).toEqual({ width: tradeoff.width * 2, height: tradeoff.height * 2 });
  await shot(page, 'export-compare');
});
