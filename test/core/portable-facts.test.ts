import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/core/extract.js';
import { ts } from '@ts-morph/common';
import { AnalysisProject, defineFileFact, NO_NEIGHBOURS, type SourceFileInfo } from '../../src/core/project.js';
import { findAll } from '../../src/core/walk.js';
import { SOURCE_EXTENSIONS } from '../../src/core/parse.js';
import { isTreeReadByScan, PORTABLE_FACTS } from '../../src/facts/portable.js';

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
      const kept = new AnalysisProject(FIXTURES);
      const keptFile = kept.addFile(absPath, text);
      void keptFile.sourceFile;
      const single = new AnalysisProject(FIXTURES, {}, undefined, { portable: PORTABLE_FACTS });
      const singleFile = single.addFile(absPath, text);
      for (const fact of PORTABLE_FACTS) {
        const expected = { file: relPath, fact: fact.name, value: kept.fileFact(fact, keptFile) };
        expect({ file: relPath, fact: fact.name, value: handed?.[fact.name] }).toEqual(expected);
        expect({ file: relPath, fact: fact.name, value: single.fileFact(fact, singleFile) }).toEqual(expected);
      }
      expect(singleFile.isParsed).toBe(false);
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

  describe('computed by the scan thread (no extraction thread summarised the file)', () => {
    const TEXT = "import jwt from 'jsonwebtoken';\nexport const f = (t: string) => jwt.verify(t, 'k');\nconst broken = (;\n";
    const calls: string[] = [];
    const CALLEES = defineFileFact(
      'test-callees',
      (file): string[] => {
        calls.push('callees');
        return findAll(file.sourceFile, ts.isCallExpression).map((call) => call.expression.getText(file.sourceFile));
      },
      { portable: true },
    );
    const CALL_COUNT = defineFileFact(
      'test-call-count',
      (file, project): number => {
        calls.push('count');
        return project.fileFact(CALLEES, file).length;
      },
      { portable: true },
    );
    const LINES = defineFileFact(
      'test-lines',
      (file): number => {
        calls.push('lines');
        return file.lineStarts.length;
      },
      { portable: true },
    );
    const CALL_NODES = defineFileFact('test-call-nodes', (file): ts.CallExpression[] => findAll(file.sourceFile, ts.isCallExpression), { local: true });
    const CALL_NODE_COUNT = defineFileFact('test-call-node-count', (file, project): number => project.fileFact(CALL_NODES, file).length, { portable: true });
    const FACTS = [CALLEES, CALL_COUNT, LINES];

    function lazyProject(): { project: AnalysisProject; file: SourceFileInfo } {
      calls.length = 0;
      const project = new AnalysisProject('/r', {}, NO_NEIGHBOURS, { portable: FACTS });
      return { project, file: project.addFile('/r/src/a.ts', TEXT) };
    }

    it('parse the file once for every portable fact and its syntax errors, and keep no tree', () => {
      const { project, file } = lazyProject();
      expect(project.fileFact(CALL_COUNT, file)).toBe(1);
      expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 1 });
      expect(file.isParsed).toBe(false);
      expect(file.hasParseSummary).toBe(true);
      expect(file.parseSummary.count).toBeGreaterThan(0);
      expect(project.fileFact(CALLEES, file)).toEqual(['jwt.verify']);
      expect(project.fileFact(LINES, file)).toBe(4);
      expect([...calls].sort()).toEqual(['callees', 'count', 'lines']);
      expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 1 });
    });

    it('parse nothing when the fact asked needs no tree, and the others are computed when asked', () => {
      const { project, file } = lazyProject();
      expect(project.fileFact(LINES, file)).toBe(4);
      expect(calls).toEqual(['lines']);
      expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 0 });
      expect(project.fileFact(CALLEES, file)).toEqual(['jwt.verify']);
      expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 1 });
      expect([...calls].sort()).toEqual(['callees', 'count', 'lines']);
    });

    it('come from the kept tree when a rule or fact already parsed the file', () => {
      const { project, file } = lazyProject();
      void file.sourceFile;
      expect(project.fileFact(CALLEES, file)).toEqual(['jwt.verify']);
      expect(calls).toEqual(['callees']);
      expect(project.stats).toEqual({ parsed: 1, parsedForDiagnostics: 0, parsedForSummaries: 0 });
    });

    it('leave no memo over the dropped tree in the project: a node fact the computation asked is computed again from the kept tree', () => {
      const { project, file } = lazyProject();
      expect(project.fileFact(CALL_NODE_COUNT, file)).toBe(1);
      expect(project.stats).toEqual({ parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 1 });
      const [call] = project.fileFact(CALL_NODES, file);
      expect(call?.getSourceFile()).toBe(file.sourceFile);
      expect(project.stats).toEqual({ parsed: 1, parsedForDiagnostics: 0, parsedForSummaries: 1 });
    });

    it('are computed like any fact when the project is given no list (the programmatic default)', () => {
      calls.length = 0;
      const project = new AnalysisProject('/r', {}, NO_NEIGHBOURS);
      const file = project.addFile('/r/src/a.ts', TEXT);
      expect(project.fileFact(CALL_COUNT, file)).toBe(1);
      expect(file.isParsed).toBe(true);
      expect(project.stats.parsedForSummaries).toBe(0);
    });
  });
});

describe('files whose tree the scan thread reads anyway (left unparsed by the extraction threads)', () => {
  it('are the NestJS controllers and modules, however the decorator call is spaced', () => {
    expect(isTreeReadByScan("@Controller('users')\nexport class UsersController {}\n")).toBe(true);
    expect(isTreeReadByScan('@Module ({ imports: [] })\nexport class AppModule {}\n')).toBe(true);
    expect(isTreeReadByScan('@Injectable()\nexport class UsersService {}\n')).toBe(false);
    expect(isTreeReadByScan("import { Controller, Module } from '@nestjs/common';\n// @Controller decorates the class\n")).toBe(false);
  });
});
