import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authlint, sourcePlugin } from './support/source-plugin.js';
import { lintWithPlugin } from './support/eslint-run.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

/** fixtures/<rule-id>/<scenario>/ are services; a top-level folder with its own package.json or config is one too. */
function fixtureServices(): string[] {
  const services: string[] = [];
  for (const group of fs.readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, group);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (['package.json', 'authlint.config.json', '.authlintrc.json'].some((m) => fs.existsSync(path.join(dir, m)))) {
      services.push(dir);
      continue;
    }
    for (const name of fs.readdirSync(dir).sort()) {
      if (fs.statSync(path.join(dir, name)).isDirectory()) services.push(path.join(dir, name));
    }
  }
  return services;
}

function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

function cliFindings(dir: string): Set<string> {
  const result = authlint.scan({ paths: [dir], root: dir });
  const texts = new Map<string, string>();
  const keys = new Set<string>();
  for (const f of result.findings) {
    if (f.suppression) continue;
    let text = texts.get(f.file);
    if (text === undefined) {
      text = fs.readFileSync(path.join(dir, f.file), 'utf8').replace(/^\uFEFF/, '');
      texts.set(f.file, text);
    }
    keys.add(`authlint/${f.ruleId} ${f.file} ${position(text, f.start)}`);
  }
  return keys;
}

describe('parity: authlint scan and ESLint with configs.all report the same findings', () => {
  const services = fixtureServices();
  let compared = 0;
  it('has fixture services', () => {
    expect(services.length).toBeGreaterThan(0);
  });
  it.each(services.map((dir) => ({ name: path.relative(FIXTURES, dir), dir })))('$name', async ({ dir }) => {
    const cli = cliFindings(dir);
    const files = authlint.discoverFiles({ root: dir, paths: [dir] }).files.map((f) => f.relPath);
    const eslint = new Set(
      (await lintWithPlugin(sourcePlugin, dir, files, { root: dir })).map((f) => `${f.ruleId} ${f.file} ${f.line}:${f.column}`),
    );
    const differences = [
      ...[...cli].filter((k) => !eslint.has(k)).map((k) => `only in authlint scan: ${k}`),
      ...[...eslint].filter((k) => !cli.has(k)).map((k) => `only in ESLint: ${k}`),
    ].sort();
    expect(differences).toEqual([]);
    compared += cli.size;
  });
  it('compared real findings, not just empty sets', () => {
    expect(compared).toBeGreaterThan(0);
  });
});
