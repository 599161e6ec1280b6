import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatGitHub } from '../../src/report/github.js';
import { formatGitLab } from '../../src/report/gitlab.js';
import { formatMarkdown, getBlobUrl } from '../../src/report/markdown.js';
import { buildFindings, buildInput, RUN } from './report-input.js';

const SCHEMA = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'schemas/gitlab-code-quality.schema.json'), 'utf8')) as object;
const VCS = { repositoryUri: 'https://github.com/acme/shop.git', revisionId: 'c0ffee0123456789abcdef0123456789abcdef01', rootInRepository: 'services/orders' };

describe('--format gitlab', () => {
  const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(SCHEMA);

  it('writes GitLab Code Quality issues that validate against the documented schema, paths from the repository root', () => {
    const issues = JSON.parse(formatGitLab(buildInput({ run: { ...RUN, versionControl: VCS } }))) as unknown[];
    expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
    expect(issues).toEqual([
      {
        description: "The secret passed to jwt.verify is the string literal 'changeme'.",
        check_name: 'jwt-no-hardcoded-secret',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'critical',
        location: { path: 'services/orders/src/auth/verify.ts', lines: { begin: 4 } },
      },
      {
        description: "jwt.verify accepts the 'none' algorithm",
        check_name: 'jwt-no-none-algorithm',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'critical',
        location: { path: 'services/orders/src/auth/verify.ts', lines: { begin: 4 } },
      },
    ]);
  });

  it('gives every issue its own fingerprint (GitLab shows only the first of duplicates) and maps levels to severities', () => {
    const [secret] = buildFindings();
    const findings = [0, 1, 2].map((i) => ({ ...secret!, level: (['error', 'warning', 'note'] as const)[i]! }));
    const issues = JSON.parse(formatGitLab(buildInput({ findings }))) as Array<{ fingerprint: string; severity: string; location: { path: string } }>;
    expect(validate(issues)).toBe(true);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(3);
    expect(issues.map((i) => i.severity)).toEqual(['critical', 'major', 'minor']);
    expect(issues[0]!.location.path).toBe('src/auth/verify.ts');
  });

  it('catches a malformed report, so the schema check means something', () => {
    expect(validate([{ description: 'x', check_name: 'r', fingerprint: 'f', severity: 'high', location: { path: './a.ts', lines: { begin: 0 } } }])).toBe(false);
    expect(validate([{ description: 'x', check_name: 'r', fingerprint: 'f', severity: 'minor', location: { path: 'a.ts' } }])).toBe(false);
  });
});

describe('--format markdown', () => {
  it('summarises by rule and level and lists the findings with links to their lines', () => {
    const text = formatMarkdown(buildInput({ run: { ...RUN, versionControl: VCS } }));
    expect(text).toBe(
      [
        '### authlint',
        '',
        '**2 findings** (2 errors, 0 warnings, 0 notes), 1 suppressed in 3 files.',
        '',
        '| Rule | Errors | Warnings | Notes |',
        '| --- | ---: | ---: | ---: |',
        '| `jwt-no-hardcoded-secret` | 1 | 0 | 0 |',
        '| `jwt-no-none-algorithm` | 1 | 0 | 0 |',
        '',
        '| Level | Rule | Location | Message |',
        '| --- | --- | --- | --- |',
        "| error | `jwt-no-hardcoded-secret` | [src/auth/verify.ts:4](https://github.com/acme/shop/blob/c0ffee0123456789abcdef0123456789abcdef01/services/orders/src/auth/verify.ts#L4) | The secret passed to jwt.verify is the string literal 'changeme'. |",
        "| error | `jwt-no-none-algorithm` | [src/auth/verify.ts:4](https://github.com/acme/shop/blob/c0ffee0123456789abcdef0123456789abcdef01/services/orders/src/auth/verify.ts#L4) | jwt.verify accepts the 'none' algorithm |",
        '',
      ].join('\n'),
    );
  });

  it('puts new findings before baselined ones and says what the baseline holds', () => {
    const text = formatMarkdown(buildInput({ baseline: { file: '.authlint-baseline.json', states: ['unchanged', 'new', 'new'], absent: [] } }));
    expect(text).toContain('Baseline `.authlint-baseline.json`: 1 new, 1 already in the baseline, 0 gone.');
    const rows = text.split('\n').filter((l) => l.startsWith('| error |'));
    expect(rows.map((r) => r.split(' | ')[1])).toEqual(['new', 'unchanged']);
    expect(rows[0]).toContain('| src/auth/verify.ts:4 |');
  });

  it('links only to GitHub and GitLab remotes at a known revision', () => {
    expect(getBlobUrl({ ...VCS, repositoryUri: 'https://gitlab.example.com/team/shop.git', rootInRepository: '' }, 'src/a b.ts', 3)).toBe(
      'https://gitlab.example.com/team/shop/-/blob/c0ffee0123456789abcdef0123456789abcdef01/src/a%20b.ts#L3',
    );
    expect(getBlobUrl({ ...VCS, repositoryUri: 'https://bitbucket.org/team/shop.git' }, 'a.ts', 1)).toBeUndefined();
    expect(getBlobUrl({ repositoryUri: VCS.repositoryUri, rootInRepository: '' }, 'a.ts', 1)).toBeUndefined();
  });
});

describe('--format github', () => {
  it('writes one workflow command per active finding with repository paths and escaped data', () => {
    const [secret, none] = buildFindings();
    const findings = [{ ...secret!, message: 'Secret: 100% in\nsource, really' }, { ...none!, level: 'note' as const }];
    expect(formatGitHub(buildInput({ findings, run: { ...RUN, versionControl: VCS } }))).toBe(
      [
        '::error file=services/orders/src/auth/verify.ts,line=4,col=28,endLine=4,endColumn=38,title=authlint jwt-no-hardcoded-secret::Secret: 100%25 in%0Asource, really',
        "::notice file=services/orders/src/auth/verify.ts,line=4,col=64,endLine=4,endColumn=70,title=authlint jwt-no-none-algorithm::jwt.verify accepts the 'none' algorithm",
        '',
      ].join('\n'),
    );
  });

  it('leaves out suppressed findings and those already in the baseline', () => {
    const text = formatGitHub(buildInput({ baseline: { file: 'b.json', states: ['unchanged', 'new', 'new'], absent: [] } }));
    expect(text.split('\n').filter(Boolean).map((l) => /title=authlint ([\w-]+)/.exec(l)?.[1])).toEqual(['jwt-no-none-algorithm']);
    expect(formatGitHub(buildInput({ findings: [] }))).toBe('');
  });
});
