import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const REPOSITORY_URL = 'https://github.com/authlint/authlint';

interface PackageJson {
  name: string;
  license: string;
  repository: { url: string };
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The files `npm pack` would put in the package (no build, no network). */
function packedFiles(dir: string): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return info!.files.map((f) => f.path);
}

/** Every link target of a Markdown text: inline links and images, and reference definitions. */
function linkTargets(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const inline = [...withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

describe.each([
  ['authlint', REPO],
  ['eslint-plugin-authlint', path.join(REPO, 'eslint-plugin')],
])('the packed %s package', (name, dir) => {
  const files = packedFiles(dir);

  it('ships the LICENSE that the root package.json license field names', () => {
    expect(readPackage(dir).name).toBe(name);
    expect(readPackage(dir).license).toBe(readPackage(REPO).license);
    expect(readPackage(REPO).license).toBe('MIT');
    expect(files).toContain('LICENSE');
    expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toBe(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8'));
    expect(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(readPackage(dir).repository.url).toBe(`git+${REPOSITORY_URL}.git`);
  });

  it('has a README that links only to files in the package or to the repository', () => {
    expect(files).toContain('README.md');
    const targets = linkTargets(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'));
    expect(targets.length).toBeGreaterThan(0);
    const broken = targets.filter((target) => {
      if (target.startsWith('#')) return false;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return /github\.com\/authlint\//.test(target) && !target.startsWith(REPOSITORY_URL);
      const file = path.posix.normalize(target.split('#')[0]!);
      return !files.includes(file);
    });
    expect(broken).toEqual([]);
  });
});
