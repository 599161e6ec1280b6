#!/usr/bin/env node
// Regenerates docs/posture-sample.png: the posture report of fixtures/posture-org (three services
// that deviate in known ways) against its organisation contract, rendered by Debian's Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'authlint-posture-sample-'));
const html = path.join(work, 'posture.html');
execFileSync(process.execPath, [path.join(ROOT, 'bin/authlint.js'), 'posture', 'fixtures/posture-org', '--config', 'fixtures/posture-org/org-contract.json', '--output', html], {
  cwd: ROOT,
  stdio: 'inherit',
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1080 }, deviceScaleFactor: 1 });
await page.goto(pathToFileURL(html).href);
await page.screenshot({ path: path.join(ROOT, 'docs/posture-sample.png'), fullPage: false });
await browser.close();
fs.rmSync(work, { recursive: true, force: true });
console.log('wrote docs/posture-sample.png');
