import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { computeFingerprints } from '../../src/report/fingerprint.js';
import { buildJsonReport, formatJson } from '../../src/report/json.js';
import { SourceIndex } from '../../src/report/positions.js';
import { buildSarifLog, formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { buildFindings, buildInput, buildNotifications, RULES, SOURCES } from './report-input.js';

describe('text report', () => {
  it('groups findings by file with a code frame, rule id and counts', () => {
    const text = formatText(buildInput({ notifications: buildNotifications() }));
    expect(text).toMatchInlineSnapshot(`
      "src/auth/verify.ts
        4:28  error  The secret passed to jwt.verify is the string literal 'changeme'.  jwt-no-hardcoded-secret
          4 |   return jwt.verify(token, 'changeme', { algorithms: ['HS256', 'none'] });
            |                            ^^^^^^^^^^                          ^^^^^^
        4:64  error  jwt.verify accepts the 'none' algorithm  jwt-no-none-algorithm

      Notifications
        warning  src/broken.ts:1:15  src/broken.ts has syntax errors (1; first: ')' expected.); analysed as far as the parser recovered.
        error    src/auth/verify.ts  Rule 'jwt-no-none-algorithm' failed on src/auth/verify.ts: boom
        warning  assets/logo.ts  Skipped assets/logo.ts: binary content in a source file.

      No JavaScript or TypeScript files found to scan.

      2 findings (2 errors, 0 warnings, 0 notes), 1 suppressed in 3 files (12 lines).
      The run was incomplete: 1 rule failure (see notifications).
      "
    `);
  });

  it('uses colour only when asked', () => {
    expect(formatText(buildInput())).not.toContain('\u001b[');
    expect(formatText(buildInput(), { color: true })).toContain('\u001b[31merror\u001b[39m');
  });

  it('keeps tabs in the caret line so the carets line up', () => {
    const sources = new Map([['src/a.ts', '\tif (x) jwt.decode(t);\n']]);
    const finding: Finding = { ruleId: 'r', messageId: 'm', message: 'Decoded.', data: {}, file: 'src/a.ts', level: 'note', start: 8, end: 21 };
    const text = formatText(buildInput({ sources, findings: [finding] }));
    expect(text).toContain('    1 | \tif (x) jwt.decode(t);\n      | \t       ^^^^^^^^^^^^^\n');
  });

  it('prints a line once for all findings starting on it, with carets under each', () => {
    const sources = new Map([['src/a.ts', "jwt.verify(t, key);\n"]]);
    const finding = (ruleId: string, level: Finding['level']): Finding => ({ ruleId, messageId: 'm', message: `${ruleId} says so.`, data: {}, file: 'src/a.ts', level, start: 0, end: 18 });
    const text = formatText(buildInput({ sources, findings: [finding('first-rule', 'error'), finding('second-rule', 'warning')] }));
    expect(text).toContain(
      ['  1:1  error  first-rule says so.  first-rule', '    1 | jwt.verify(t, key);', '      | ^^^^^^^^^^^^^^^^^^', '  1:1  warning  second-rule says so.  second-rule', ''].join('\n'),
    );
    expect(text.match(/1 \| jwt\.verify/g)).toHaveLength(1);
  });

  it('keeps the carets within the line: a long line is shown around the finding, an empty range at its end gets one caret', () => {
    const long = `const config = { ${'padding: 1, '.repeat(30)}secret: 'changeme' };`;
    const start = long.indexOf("'changeme'");
    const sources = new Map([['src/long.ts', `${long}\nfoo();\n`]]);
    const findings: Finding[] = [
      { ruleId: 'r', messageId: 'm', message: 'Long.', data: {}, file: 'src/long.ts', level: 'error', start, end: start + 10 },
      { ruleId: 'r', messageId: 'm', message: 'At the end.', data: {}, file: 'src/long.ts', level: 'note', start: long.length + 7, end: long.length + 7 },
    ];
    const lines = formatText(buildInput({ sources, findings })).split('\n');
    const frame = lines.findIndex((l) => l.startsWith('    1 | '));
    const shown = lines[frame] as string;
    const carets = lines[frame + 1] as string;
    expect(shown.startsWith('    1 | …')).toBe(true);
    expect(carets.length).toBeLessThanOrEqual(shown.length);
    expect(shown.slice(carets.indexOf('^'), carets.lastIndexOf('^') + 1)).toBe("'changeme'");
    const end = lines.findIndex((l) => l.startsWith('    2 | '));
    expect(lines.slice(end, end + 2)).toEqual(['    2 | foo();', '      |      ^']);
  });

  it('shows a multi-line finding by its first line and the line where it ends, unless that line only closes brackets', () => {
    const code = "router.post(\n  '/invites',\n  validate,\n  controller.invite\n);\napp.get('/x', (req, res) => {\n  res.end();\n});\n";
    const sources = new Map([['src/r.ts', code]]);
    const handlerEnd = code.indexOf('controller.invite') + 'controller.invite'.length;
    const findings: Finding[] = [
      { ruleId: 'r', messageId: 'm', message: 'Registration.', data: {}, file: 'src/r.ts', level: 'error', start: 0, end: handlerEnd },
      { ruleId: 'r', messageId: 'm', message: 'Call.', data: {}, file: 'src/r.ts', level: 'error', start: code.indexOf('app.get'), end: code.length - 1 },
    ];
    const text = formatText(buildInput({ sources, findings }));
    expect(text).toContain(['    1 | router.post(', '      | ^^^^^^^^^^^^', '      | …', '    4 |   controller.invite', '      |   ^^^^^^^^^^^^^^^^^'].join('\n'));
    expect(text).toContain(['    6 | app.get(\'/x\', (req, res) => {', '      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', '', ''].join('\n'));
    expect(text).not.toContain('    8 | });');
  });

  it('in quiet mode shows only findings at or above --fail-on and prints nothing for a clean run', () => {
    const findings = buildFindings().map((f) => ({ ...f, level: 'warning' as const }));
    expect(formatText(buildInput({ findings }), { quiet: true, failOn: 'error' })).toBe('');
    expect(formatText(buildInput({ findings }), { quiet: true, failOn: 'warning' })).toContain('jwt-no-none-algorithm');
    expect(formatText(buildInput({ findings: [] }), { quiet: true, failOn: 'error' })).toBe('');
  });
});

describe('JSON report', () => {
  it('has the documented version 1 shape', () => {
    const report = buildJsonReport(buildInput({ notifications: buildNotifications().slice(1, 2) }));
    expect(Object.keys(report)).toEqual(['version', 'tool', 'root', 'findings', 'notifications', 'summary']);
    expect(report.findings[2]).toEqual({
      ruleId: 'route-require-authentication',
      level: 'warning',
      message: "Route 'DELETE /api/orders/:id' has no authentication.",
      file: 'src/routes/orders.ts',
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 64,
      related: [{ file: 'src/app.ts', line: 2, column: 1, endLine: 2, endColumn: 24, message: "Router mounted at '/api'" }],
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      suppressed: { kind: 'inSource', justification: 'internal network only' },
    });
    expect(report.findings[0]).not.toHaveProperty('suppressed');
    expect(report.notifications).toEqual([
      {
        kind: 'parse-error',
        level: 'warning',
        message: "src/broken.ts has syntax errors (1; first: ')' expected.); analysed as far as the parser recovered.",
        file: 'src/broken.ts',
        line: 1,
        column: 15,
      },
    ]);
    expect(report.summary).toEqual({
      files: 3,
      lines: 12,
      findings: 2,
      errors: 2,
      warnings: 0,
      notes: 0,
      suppressed: 1,
      notifications: 1,
      successful: true,
    });
  });

  it('names the repository when the root is in a git checkout', () => {
    const run = { ...buildInput().run, versionControl: { repositoryUri: 'https://github.com/acme/shop', revisionId: 'a'.repeat(40), branch: 'main', rootInRepository: 'services/orders' } };
    expect(buildJsonReport(buildInput({ run })).repository).toEqual({
      uri: 'https://github.com/acme/shop',
      revision: 'a'.repeat(40),
      branch: 'main',
      root: 'services/orders',
    });
  });

  it('is newline-terminated, two-space indented JSON', () => {
    const text = formatJson(buildInput());
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(buildJsonReport(buildInput()));
  });
});

describe('fingerprints', () => {
  const file = 'src/auth/verify.ts';
  const original = SOURCES[file] as string;
  const shifted = `// a new header comment\nimport crypto from 'node:crypto';\n\n${original}`;
  const shift = shifted.length - original.length;

  function fingerprintsOf(text: string, offset: number): string[] {
    const findings = buildFindings()
      .filter((f) => f.file === file)
      .map((f) => ({ ...f, start: f.start + offset, end: f.end + offset }));
    return computeFingerprints(findings, new SourceIndex(new Map([[file, text]])));
  }

  it('stay the same when unrelated lines are inserted above a finding', () => {
    expect(fingerprintsOf(shifted, shift)).toEqual(fingerprintsOf(original, 0));
  });

  it('differ between rules on the same line and between repeated identical lines', () => {
    const [a, b] = fingerprintsOf(original, 0);
    expect(a).not.toBe(b);
    const twice = 'jwt.decode(t);\njwt.decode(t);\n';
    const finding = (start: number): Finding => ({ ruleId: 'r', messageId: 'm', message: 'm', data: {}, file: 'x.ts', level: 'note', start, end: start + 3 });
    const [first, second] = computeFingerprints([finding(0), finding(15)], new SourceIndex(new Map([['x.ts', twice]])));
    expect(first).not.toBe(second);
  });

  it('are the same in JSON and SARIF', () => {
    const json = buildJsonReport(buildInput());
    const sarif = buildSarifLog(buildInput());
    expect(sarif.runs[0]!.results!.map((r) => r.partialFingerprints!['authlint/v1'])).toEqual(json.findings.map((f) => f.fingerprint));
  });
});

describe('SARIF report', () => {
  const log = buildSarifLog(buildInput({ notifications: buildNotifications(), run: { ...buildInput().run, category: 'services/orders' } }));
  const run = log.runs[0] as Sarif.Run;

  it('describes the tool and every rule', () => {
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'authlint', semanticVersion: '0.1.0', informationUri: 'https://github.com/authlint/authlint' });
    expect(run.tool.driver.rules!.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(run.tool.driver.rules![0]).toEqual({
      id: 'jwt-no-hardcoded-secret',
      name: 'JwtNoHardcodedSecret',
      shortDescription: { text: 'Disallow hard-coded JWT signing and verification secrets.' },
      fullDescription: { text: 'A secret in source code is readable by everyone with repository access.' },
      help: {
        text: 'jwt-no-hardcoded-secret\n\nA secret in source code is readable by everyone with repository access.\n\nExamples\n\njwt.sign(p, "s");',
        markdown: RULES[0]!.docMarkdown,
      },
      helpUri: 'https://github.com/authlint/authlint/blob/v0.1.0/rules/jwt-no-hardcoded-secret.md',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'jwt', 'external/cwe/cwe-798', 'external/cwe/cwe-321'],
        precision: 'high',
        'security-severity': '8.1',
        'problem.severity': 'error',
      },
    });
    expect(run.tool.driver.rules![2]!.defaultConfiguration).toEqual({ level: 'warning' });
    const optIn = buildSarifLog(buildInput({ rules: [{ ...RULES[0]!, enabledByDefault: false }] })).runs[0]!.tool.driver.rules![0]!;
    expect(optIn.defaultConfiguration).toEqual({ level: 'error', enabled: false });
  });

  it('gives each result its rule index, relative location, full region and fingerprint', () => {
    const [secret, , route] = run.results!;
    expect(secret).toMatchObject({
      ruleId: 'jwt-no-hardcoded-secret',
      ruleIndex: 0,
      level: 'error',
      message: { text: "The secret passed to jwt.verify is the string literal 'changeme'." },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/auth/verify.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 28, endLine: 4, endColumn: 38 },
          },
        },
      ],
    });
    expect(run.results![1]!.message.text).toBe("jwt.verify accepts the 'none' algorithm.");
    expect(route!.ruleIndex).toBe(2);
    expect(route!.relatedLocations).toEqual([
      {
        id: 1,
        message: { text: "Router mounted at '/api'." },
        physicalLocation: {
          artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 24, charOffset: 45, charLength: 23 },
        },
      },
    ]);
  });

  it('keeps suppressed findings with an inSource suppression and its justification', () => {
    const route = run.results![2]!;
    expect(route.suppressions).toMatchObject([{ kind: 'inSource', justification: 'internal network only' }]);
    expect(route.suppressions![0]!.location!.physicalLocation!.region!.startLine).toBe(3);
    expect(run.results![0]).not.toHaveProperty('suppressions');
  });

  it('reports every notification in the invocation', () => {
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toHaveLength(4);
    expect(invocation.toolExecutionNotifications![2]).toEqual({
      level: 'error',
      message: { text: "Rule 'jwt-no-none-algorithm' failed on src/auth/verify.ts: boom." },
      descriptor: { id: 'rule-error' },
      associatedRule: { id: 'jwt-no-none-algorithm', index: 1 },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/auth/verify.ts', uriBaseId: '%SRCROOT%' } } }],
    });
    expect(invocation.toolExecutionNotifications![1]!.locations![0]!.physicalLocation!.region).toMatchObject({ startLine: 1, startColumn: 15 });
  });

  it('sets automationDetails.id from the category', () => {
    expect(run.automationDetails).toEqual({ id: 'services/orders/' });
    expect(buildSarifLog(buildInput()).runs[0]).not.toHaveProperty('automationDetails');
  });

  it('makes paths relative to the git checkout root, as GitHub code scanning resolves them', () => {
    const versionControl = { repositoryUri: 'https://github.com/acme/shop', revisionId: 'b'.repeat(40), branch: 'main', rootInRepository: 'services/orders' };
    const nested = buildSarifLog(buildInput({ run: { ...buildInput().run, versionControl } })).runs[0]!;
    expect(nested.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/shop', revisionId: 'b'.repeat(40), branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect(nested.results![0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'services/orders/src/auth/verify.ts', uriBaseId: '%SRCROOT%' });
    expect(nested.results![2]!.relatedLocations![0]!.physicalLocation!.artifactLocation!.uri).toBe('services/orders/src/app.ts');
    const noRemote = buildSarifLog(buildInput({ run: { ...buildInput().run, versionControl: { rootInRepository: 'services/orders' } } })).runs[0]!;
    expect(noRemote).not.toHaveProperty('versionControlProvenance');
    expect(noRemote.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('services/orders/src/auth/verify.ts');
    const atRoot = buildSarifLog(buildInput({ run: { ...buildInput().run, versionControl: { ...versionControl, rootInRepository: '' } } })).runs[0]!;
    expect(atRoot.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/auth/verify.ts');
  });

  it('encodes unusual characters of paths in URIs', () => {
    const sources = new Map([['src/my routes/#admin.ts', 'x']]);
    const finding: Finding = { ruleId: 'r', messageId: 'm', message: 'M.', data: {}, file: 'src/my routes/#admin.ts', level: 'note', start: 0, end: 1 };
    const result = buildSarifLog(buildInput({ sources, findings: [finding] })).runs[0]!.results![0]!;
    expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/my%20routes/%23admin.ts');
    expect(result).not.toHaveProperty('ruleIndex');
  });

  it('is deterministic', () => {
    const input = buildInput({ notifications: buildNotifications() });
    expect(formatSarif(input)).toBe(formatSarif(buildInput({ notifications: buildNotifications() })));
    expect(formatSarif(input)).not.toMatch(/file:\/\/|"(startTimeUtc|endTimeUtc)"/);
  });
});
