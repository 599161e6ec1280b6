import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './build.js';
import { makeTree } from './support.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/authlint.js');

beforeAll(() => ensureBuilt(), 240_000);

describe('the CLI reading thread', () => {
  it('stops when the scan fails early, so the process exits with the error (it waited forever for the scan to take more files)', { timeout: 240_000 }, () => {
    // More files than the reading thread may send ahead of the scan (4 batches of 64).
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`src/m${i}.ts`] = `export const v${i} = ${i};\n`;
    const root = makeTree(files);
    const run = spawnSync(process.execPath, [BIN, 'scan', root, '--include', 'nothing/**', '--format', 'json'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--include 'nothing/**' matches no JavaScript or TypeScript file");
  });

  it('hands every file to the scan of a folder larger than what it may send ahead', { timeout: 240_000 }, () => {
    const files: Record<string, string> = {
      'src/z-auth.ts': "import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ sub: id }, 'super-secret-signing-key');\n",
    };
    for (let i = 0; i < 400; i++) files[`src/m${i}.ts`] = `export const v${i} = ${i};\n`;
    const root = makeTree(files);
    const run = spawnSync(process.execPath, [BIN, 'scan', root, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { summary: { files: number }; findings: Array<{ file: string; ruleId: string }> };
    expect(report.summary.files).toBe(401);
    // The last file in discovery order, read in the last batch.
    expect(report.findings.filter((f) => f.file === 'src/z-auth.ts').map((f) => f.ruleId)).toContain('jwt-no-hardcoded-secret');
  });
});
