/**
 * The HTML report in a real browser (Debian chromium, driven by playwright-core): the drifted
 * example shows its failing boxes, the status filter works, and screenshots are kept as artifacts.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { allChecks } from '../../lib/checks';
import { runChecks } from '../../lib/checks/run';
import { buildReport } from '../../lib/report/build';
import { formatHtml } from '../../lib/report/html';
import { driftedExample, healthyExample } from '../../scripts/make-examples';
import { labExpected } from '../support/factories/expected';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../test-artifacts');
let browser: Browser;

function reportFile(which: 'healthy' | 'drifted'): string {
  const s = which === 'healthy' ? healthyExample() : driftedExample();
  const results = runChecks(allChecks, labExpected(), s);
  const report = buildReport({
    cluster: s.cluster,
    startedAt: new Date(s.collectedAt),
    finishedAt: new Date(s.collectedAt),
    results,
    namespace: 'monitoring',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'stackcheck-html-')), `${which}.html`);
  writeFileSync(file, formatHtml({ report, snapshot: s, expected: labExpected() }));
  return file;
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('html report in chromium', () => {
  it('shows the drift in red where it is, offline, and filters by status', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${reportFile('drifted')}`);
    const failingBoxes = page.locator('svg .box.status-fail');
    expect(await failingBoxes.count()).toBeGreaterThanOrEqual(6);
    await expect(failingBoxes.first().isVisible()).resolves.toBe(true);
    const pvc = page.locator(
      'svg .box[data-resource="PersistentVolumeClaim/monitoring/kube-prometheus-stack-grafana"]',
    );
    expect(await pvc.getAttribute('data-status')).toBe('fail');
    await page.screenshot({ path: join(ARTIFACTS, 'drifted-report.png'), fullPage: true });

    // Filter: only failures.
    const rows = page.locator('#results tbody tr');
    const total = await rows.count();
    for (const st of ['pass', 'skip', 'error']) await page.locator(`input[name=status][value=${st}]`).uncheck();
    const visible = await page.locator('#results tbody tr:not([hidden])').count();
    expect(visible).toBe(7);
    expect(visible).toBeLessThan(total);
    expect(await page.locator('#shown').textContent()).toBe('7 shown');
    await page.selectOption('#family', 'alb');
    expect(await page.locator('#results tbody tr:not([hidden])').count()).toBe(2);

    // Dark theme toggle.
    await page.click('#theme');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.screenshot({ path: join(ARTIFACTS, 'drifted-report-dark.png') });
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the healthy stack with no failing box but the external-URL warning', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1200 } });
    await page.goto(`file://${reportFile('healthy')}`);
    const failing = await page
      .locator('svg .box.status-fail')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-resource')));
    expect(failing).toEqual(['StatefulSet/monitoring/prometheus-kube-prometheus-stack-prometheus']);
    expect(await page.locator('svg .box.status-pass').count()).toBeGreaterThan(20);
    await page.screenshot({ path: join(ARTIFACTS, 'healthy-report.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
