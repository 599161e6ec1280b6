import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../rules/index.js';
import { scan } from '../src/scan.js';
import { compareWithAnnotations, readAnnotations } from './support/annotations.js';
import { lineOfOffset } from './support/lines.js';

const SAMPLE = path.resolve(import.meta.dirname, '../fixtures/sample-service');

describe('the bundled sample service', () => {
  it('gives exactly the findings annotated in its code, for every rule', () => {
    const result = scan({ paths: [SAMPLE], root: SAMPLE });
    const lines = result.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: lineOfOffset(path.join(SAMPLE, f.file), f.start), message: f.message }));
    const annotations = readAnnotations(SAMPLE);
    expect(annotations.filter((a) => a.kind === 'expect').length).toBeGreaterThanOrEqual(8);
    expect(compareWithAnnotations(annotations, lines, new Set(ALL_RULES.map((r) => r.id)))).toEqual([]);
    expect(result.notifications).toEqual([]);
    expect(result.successful).toBe(true);
  });
});
