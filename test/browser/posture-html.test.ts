import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import os from 'node:os';
import { runCli } from '../cli/support.js';

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const CONTRACT = { project: { tokenContract: { algorithms: ['RS256'], issuer: 'https://id.acme.example', jwksUri: 'https://id.acme.example/.well-known/jwks.json' } } };

let browser: Browser;
let work: string;
let sampleUrl: string;
let largeUrl: string;

async function writePosture(args: string[], cwd: string): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(work, 'report-')), 'posture.html');
  const run = await runCli(['posture', ...args, '--output', out], { cwd });
  expect(run.stderr).toBe('');
  return pathToFileURL(out).href;
}

/** A JSON report of many copies of one service, as an organisation collects them from CI. */
async function writeManyServices(count: number): Promise<string> {
  const run = await runCli(['scan', 'posture-org', '--format', 'json', '--fail-on', 'none'], { cwd: FIXTURES });
  const report = JSON.parse(run.stdout) as JsonReport;
  const orders = report.services?.find((s) => s.name === '@acme/orders');
  if (!orders) throw new Error('sample service missing');
  const services = Array.from({ length: count }, (_, i) => ({ ...orders, name: `svc-${String(i).padStart(3, '0')}`, root: `services/s${i}` }));
  const file = path.join(work, 'many.json');
  fs.writeFileSync(file, JSON.stringify({ ...report, findings: [], services }));
  return file;
}

async function open(url: string): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    requests.push(target);
    return target.startsWith('file:') ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  expect(errors).toEqual([]);
  return { page, requests };
}

/** Cell texts of the overview rows on screen (innerText separates cells with tabs). */
async function visibleRows(page: Page): Promise<string[][]> {
  const rows = await page.locator('#overview-table tbody tr:not([hidden])').allInnerTexts();
  return rows.map((row) => row.split('\t').slice(0, 14).map((cell) => cell.trim()));
}

/** Distinct byte values of the decompressed image data: a blank screenshot has a handful. */
function distinctImageBytes(png: Buffer): number {
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return new Set(zlib.inflateSync(Buffer.concat(chunks))).size;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-posture-'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const config = path.join(work, 'authlint.config.json');
  fs.writeFileSync(config, JSON.stringify(CONTRACT));
  sampleUrl = await writePosture(['posture-org', '--config', config], FIXTURES);
  largeUrl = await writePosture([await writeManyServices(120)], FIXTURES);
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the posture HTML report in Chromium', () => {
  it('lists every service with its figures and loads nothing but itself', async () => {
    const { page, requests } = await open(sampleUrl);
    expect(await visibleRows(page)).toEqual([
      ['@acme/billing', '', '3', '67 %', '0 %', '1', '1', '0', '4', '@acme/payments, jane@acme.example', 'jsonwebtoken', 'HS256', 'secret-env', 'https://id.acme.example / payments'],
      ['@acme/legacy-reports', '', '3', '50 %', '0 %', '2', '3', '0', '4', 'none', 'jsonwebtoken', 'HS256', 'hard-coded', 'https://legacy.acme.example / -'],
      ['@acme/orders', '', '4', '100 %', '0 %', '0', '0', '0', '0', '@acme/identity', 'jose', 'RS256', 'jwks', 'https://id.acme.example / orders'],
    ]);
    expect(await page.locator('#page-status').textContent()).toBe('Showing 1–3 of 3 services');
    expect(await page.locator('#overview-table svg.bar').first().getAttribute('aria-label')).toBe('Route protection: 2 authenticated, 1 internal, no authentication');
    expect(requests).toEqual([sampleUrl]);
  });

  it('sorts by a column, both ways, from the mouse and the keyboard', async () => {
    const { page, requests } = await open(sampleUrl);
    const errors = page.getByRole('button', { name: 'Errors' });
    await errors.click();
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/legacy-reports', '@acme/billing', '@acme/orders']);
    expect(await page.locator('th', { has: errors }).getAttribute('aria-sort')).toBe('descending');
    await errors.focus();
    await page.keyboard.press('Enter');
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/orders', '@acme/billing', '@acme/legacy-reports']);
    expect(await page.locator('th', { has: errors }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'Service' }).click();
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/billing', '@acme/legacy-reports', '@acme/orders']);
    await page.getByRole('button', { name: 'Service' }).click();
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/orders', '@acme/legacy-reports', '@acme/billing']);
    expect(await page.$$eval('#matrix-table tbody tr:not([hidden]) th', (cells) => cells.map((c) => c.textContent))).toEqual(['@acme/orders', '@acme/legacy-reports', '@acme/billing']);
    expect(requests).toEqual([sampleUrl]);
  });

  it('filters by text and by deviation', async () => {
    const { page, requests } = await open(sampleUrl);
    await page.getByLabel('Filter services').fill('jsonwebtoken');
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/billing', '@acme/legacy-reports']);
    expect(await page.locator('#page-status').textContent()).toBe('Showing 1–2 of 2 services (filtered from 3)');
    await page.getByLabel('Filter services').fill('no such service');
    expect(await visibleRows(page)).toEqual([]);
    expect(await page.locator('#page-status').textContent()).toBe('No service matches.');
    await page.getByLabel('Filter services').fill('');
    await page.getByLabel('Only services that deviate').check();
    expect((await visibleRows(page)).map((r) => r[0])).toEqual(['@acme/billing', '@acme/legacy-reports']);
    expect(requests).toEqual([sampleUrl]);
  });

  it('opens a service section from its overview link', async () => {
    const { page } = await open(sampleUrl);
    await page.getByRole('link', { name: '@acme/orders' }).first().click();
    const section = page.locator('details.service[open]');
    await expect.poll(() => section.count()).toBe(1);
    expect(await section.locator('summary').textContent()).toMatch(/^@acme\/orders — 4 routes/);
    expect(await section.locator('table').first().locator('tbody tr').count()).toBe(4);
  });

  it('pages through many services', async () => {
    const { page, requests } = await open(largeUrl);
    expect(await visibleRows(page)).toHaveLength(50);
    expect(await page.locator('#page-status').textContent()).toBe('Showing 1–50 of 120 services');
    await page.getByRole('button', { name: 'Next page' }).click();
    const second = await visibleRows(page);
    expect([second[0]?.[0], second.length]).toEqual(['svc-050', 50]);
    await page.getByRole('button', { name: 'Next page' }).click();
    expect(await page.locator('#page-status').textContent()).toBe('Showing 101–120 of 120 services');
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByLabel('Services per page').selectOption('0');
    expect(await visibleRows(page)).toHaveLength(120);
    expect(await page.locator('#matrix-table tbody tr:not([hidden])').count()).toBe(120);
    expect(requests).toEqual([largeUrl]);
  });

  it('renders a screenshot that is not blank', async () => {
    const { page } = await open(sampleUrl);
    const png = await page.screenshot({ fullPage: false });
    expect(distinctImageBytes(png)).toBeGreaterThan(32);
    const blank = await browser.newPage();
    await blank.setContent('<html><body style="background:#fff"></body></html>');
    expect(distinctImageBytes(await blank.screenshot())).toBeLessThan(8);
    await blank.close();
  });
});
