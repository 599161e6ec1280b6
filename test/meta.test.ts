import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../rules/index.js';
import type { AnyRule } from '../src/core/rule.js';
import { runCase, type RuleCase } from './support/rule-cases.js';
import type { ProjectSettings } from '../src/core/types.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOC_SECTIONS = ['Examples', 'How to fix', 'Options', 'Known limitations', 'When not to use it', 'References'];

function readDoc(id: string): string {
  return fs.readFileSync(path.join(ROOT, 'rules', `${id}.md`), 'utf8');
}

function codeBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`### ${heading}`);
  if (start === -1) return [];
  const rest = markdown.slice(start + heading.length + 4);
  const end = rest.search(/\n#{2,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** A doc example may start with `// project: {…}`, the `project` settings of authlint.config.json it runs with. */
function exampleCase(code: string): RuleCase {
  const match = /^\/\/ project: (\{.*\})\n/.exec(code);
  return { name: 'doc', code, ...(match ? { settings: JSON.parse(match[1] as string) as ProjectSettings } : {}) };
}

describe.each(ALL_RULES.map((rule) => ({ id: rule.id, rule })))('rule $id', ({ id, rule }: { id: string; rule: AnyRule }) => {
  it('is complete: file, doc, case table, test and fixtures named after the id', () => {
    expect(id).toMatch(/^(jwt|route|authz|service|s2s)-[a-z0-9-]+$/);
    for (const file of [`rules/${id}.ts`, `rules/${id}.md`, `test/rules/${id}.test.ts`, `test/rules/${id}.cases.ts`]) {
      expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
    }
    const fixtureDir = path.join(ROOT, 'fixtures', id);
    expect(fs.existsSync(fixtureDir) && fs.readdirSync(fixtureDir).length > 0, `fixtures/${id}/`).toBe(true);
  });

  it('has complete metadata and messages', () => {
    const { meta } = rule;
    expect(meta.description).toMatch(/^(Require|Disallow) [^\n]*[^.]$/);
    // Architecture rules (a design that hurts availability, not a weakness) carry no CWE.
    if (meta.category !== 'architecture') expect(meta.cwe.length).toBeGreaterThan(0);
    expect(meta.securitySeverity).toBeGreaterThanOrEqual(0);
    expect(meta.securitySeverity).toBeLessThanOrEqual(10);
    expect(['very-high', 'high', 'medium', 'low']).toContain(meta.precision);
    expect(['file', 'project']).toContain(meta.scope);
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    for (const [messageId, text] of Object.entries(rule.messages)) {
      expect(messageId).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(text, messageId).toMatch(/\.$/);
    }
    expect(rule.schema['type']).toBe('object');
    expect(rule.schema['additionalProperties']).toBe(false);
  });

  it('has default options its own schema accepts (the engine validates only options a user writes)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(rule.schema);
    expect(validate(rule.defaultOptions), JSON.stringify(validate.errors)).toBe(true);
  });

  it('documents itself with the sections in order', () => {
    const doc = readDoc(id);
    expect(doc.startsWith(`# ${id}\n`)).toBe(true);
    const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(DOC_SECTIONS);
    expect(codeBlocks(doc, 'Incorrect').length).toBeGreaterThan(0);
    expect(codeBlocks(doc, 'Correct').length).toBeGreaterThan(0);
  });

  it('flags the incorrect examples of its doc and not the correct ones', () => {
    const doc = readDoc(id);
    for (const code of codeBlocks(doc, 'Incorrect')) {
      expect(runCase(rule, exampleCase(code)).errors.length, code).toBeGreaterThan(0);
    }
    for (const code of codeBlocks(doc, 'Correct')) {
      expect(runCase(rule, exampleCase(code)).errors, code).toEqual([]);
    }
  });
});

describe('layers', () => {
  it('keeps ESLint out of the engine, models, facts and rules', () => {
    const offenders: string[] = [];
    for (const dir of ['src/core', 'src/models', 'src/facts', 'rules']) {
      const walk = (d: string): void => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, entry.name);
          if (entry.isDirectory()) walk(p);
          else if (/\.ts$/.test(entry.name) && /from ['"](eslint|@typescript-eslint\/[^'"]*|typescript-eslint)['"]/.test(fs.readFileSync(p, 'utf8'))) {
            offenders.push(path.relative(ROOT, p));
          }
        }
      };
      if (fs.existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
    }
    expect(offenders).toEqual([]);
  });
});
