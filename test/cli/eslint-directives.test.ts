import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { makeTree, runCli } from './support.js';
import { TEST_RULES } from './test-rules.js';

async function scan(text: string): Promise<{ code: number; report: JsonReport }> {
  const run = await runCli(['scan', '.', '--format', 'json'], { cwd: makeTree({ 'src/auth.ts': text }), rules: TEST_RULES });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport };
}

function summary(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.line} ${f.suppressed ? `suppressed${f.suppressed.justification ? `: ${f.suppressed.justification}` : ''}` : 'active'}`);
}

describe("ESLint's disable comments for authlint rules, honoured by the CLI", () => {
  it('eslint-disable-next-line and eslint-disable-line (the editor quick fix), with a reason after --', async () => {
    const { code, report } = await scan(
      [
        '// eslint-disable-next-line authlint/test-no-blind-trust -- tokens come from the mTLS proxy',
        'trustBlindly(a);',
        'trustBlindly(b); // eslint-disable-line authlint/test-no-blind-trust',
        'trustBlindly(c); /* eslint-disable-line no-console, authlint/test-no-blind-trust */',
        'trustBlindly(d);',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(summary(report)).toEqual(['2 suppressed: tokens come from the mTLS proxy', '3 suppressed', '4 suppressed', '5 active']);
  });

  it('a block disable up to the matching enable, or to the end of the file', async () => {
    const { report } = await scan(
      [
        'trustBlindly(a);',
        '/* eslint-disable authlint/test-no-blind-trust */',
        'trustBlindly(b);',
        'trustBlindly(c);',
        '/* eslint-enable authlint/test-no-blind-trust */',
        'trustBlindly(d);',
        '/* eslint-disable authlint/test-no-blind-trust, authlint/test-prefer-verify */',
        'trustBlindly(e);',
        '',
      ].join('\n'),
    );
    expect(summary(report)).toEqual(['1 active', '3 suppressed', '4 suppressed', '6 active', '8 suppressed']);
  });

  it('leaves directives without authlint rules to ESLint, and reports one naming an authlint rule that matches nothing', async () => {
    const { code, report } = await scan(
      ['// eslint-disable-next-line', 'trustBlindly(a);', '/* eslint-disable */', 'trustBlindly(b);', '// eslint-disable-next-line authlint/test-no-blind-trust', 'const ok = 1;', ''].join('\n'),
    );
    expect(code).toBe(1);
    expect(summary(report)).toEqual(['2 active', '4 active']);
    expect(report.notifications).toMatchObject([{ kind: 'unused-suppression', line: 5 }]);
  });

  it('a suppression above a decorator stack applies to the decorated method, not to its body', async () => {
    const { code, report } = await scan(
      [
        'export class OrdersController {',
        '  // eslint-disable-next-line authlint/test-no-blind-trust -- the editor quick fix',
        "  @ApiOperation({ summary: 'Delete an order' })",
        '  @trustBlindly()',
        '  remove() {}',
        '',
        '  // authlint-disable-next-line test-no-blind-trust -- reviewed in SEC-14',
        "  @ApiOperation({ summary: 'Cancel an order' })",
        '  @trustBlindly()',
        '  cancel() {',
        '    trustBlindly(body);',
        '  }',
        '',
        '  // authlint-disable-next-line test-no-blind-trust',
        '  total = 0;',
        '  @trustBlindly()',
        '  refund() {}',
        '}',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(summary(report)).toEqual(['4 suppressed: the editor quick fix', '9 suppressed: reviewed in SEC-14', '11 active', '16 active']);
    expect(report.notifications).toMatchObject([{ kind: 'unused-suppression', line: 14 }]);
  });
});
