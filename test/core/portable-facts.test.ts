import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/core/extract.js';
import { AnalysisProject } from '../../src/core/project.js';
import { SOURCE_EXTENSIONS } from '../../src/core/parse.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(full));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) found.push(full);
  }
  return found.sort();
}

describe('portable file facts', () => {
  it('are declared portable and local', () => {
    expect(PORTABLE_FACTS.length).toBeGreaterThan(0);
    for (const fact of PORTABLE_FACTS) expect({ name: fact.name, portable: fact.portable, local: fact.local }).toEqual({ name: fact.name, portable: true, local: true });
  });

  it('computed by an extraction thread (a project of the file alone, copied between threads) equal what the scan computes itself, on every fixture file', () => {
    const files = sourceFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(100);
    for (const absPath of files) {
      const text = fs.readFileSync(absPath, 'utf8');
      const relPath = path.relative(FIXTURES, absPath).split(path.sep).join('/');
      const handed = structuredClone(summarizeFile(absPath, text, PORTABLE_FACTS, relPath).facts);
      const project = new AnalysisProject(FIXTURES);
      const file = project.addFile(absPath, text);
      for (const fact of PORTABLE_FACTS) expect({ file: relPath, fact: fact.name, value: handed?.[fact.name] }).toEqual({ file: relPath, fact: fact.name, value: project.fileFact(fact, file) });
    }
  });

  it('handed over with a file are taken as known: the scan thread does not parse the file for them', () => {
    const text = "import jwt from 'jsonwebtoken';\nexport const f = (t: string) => jwt.verify(t, 'k');\n";
    const summary = summarizeFile('/r/a.ts', text, PORTABLE_FACTS, 'a.ts');
    const project = new AnalysisProject('/r');
    const file = project.addFile('/r/a.ts', text, { facts: summary.facts ?? {} });
    for (const fact of PORTABLE_FACTS) project.fileFact(fact, file);
    expect(file.isParsed).toBe(false);
    expect(project.stats.parsed).toBe(0);
  });
});
