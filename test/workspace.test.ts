import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../rules/index.js';

const REPO = path.resolve(import.meta.dirname, '..');

describe('workspace build', () => {
  // CI runs `npm ci` and `npm run build` before the tests: both must leave the ESLint plugin usable,
  // not only `npm pack` (its prepack script).
  it('builds the ESLint plugin with the root build, importable by its package name', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build']).toContain('--workspace eslint-plugin-authlint');
    expect(fs.existsSync(path.join(REPO, 'eslint-plugin/dist/index.js'))).toBe(true);
    const plugin = (await import('eslint-plugin-authlint')) as { default: { rules: Record<string, unknown> } };
    expect(Object.keys(plugin.default.rules).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });
});
