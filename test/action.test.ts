import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli/build.js';
import { commitAll, git, SHOP_SERVICE, writeFile } from './cli/git-repo.js';
import { makeTree } from './cli/support.js';

const REPO = path.resolve(import.meta.dirname, '..');
const ACTION = fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8');
const SLOW = { timeout: 240_000 };

interface ActionStep {
  name: string;
  uses?: string;
  run?: string;
  /** Environment variable → the input it is set from (`${{ inputs.x }}`). */
  inputEnv: Map<string, string>;
}

/** The inputs with their defaults, and the steps, read from action.yml (a fixed, simple layout). */
function readAction(): { defaults: Map<string, string>; steps: ActionStep[] } {
  const inputsBlock = /^inputs:\n([\s\S]*?)^\S/m.exec(ACTION)?.[1] ?? '';
  const defaults = new Map<string, string>();
  for (const match of inputsBlock.matchAll(/^ {2}([\w-]+):\n(?: {4}.*\n)*? {4}default: '([^']*)'/gm)) defaults.set(match[1]!, match[2]!);
  const stepsBlock = ACTION.slice(ACTION.indexOf('  steps:\n'));
  const steps = stepsBlock
    .split(/^ {4}- /m)
    .slice(1)
    .map((text) => {
      const inputEnv = new Map<string, string>();
      for (const m of text.matchAll(/^ {8}(INPUT_\w+): \$\{\{ inputs\.([\w-]+) \}\}$/gm)) inputEnv.set(m[1]!, m[2]!);
      const uses = /^\s*uses: (.+)$/m.exec(text)?.[1];
      const run = /^\s*run: (.+)$/m.exec(text)?.[1];
      return { name: /name: (.+)/.exec(text)?.[1] ?? '', ...(uses ? { uses } : {}), ...(run ? { run } : {}), inputEnv };
    });
  return { defaults, steps };
}

interface ActionRun {
  code: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the action's script steps with bash as a runner would: GITHUB_* variables, inputs as the step's env maps them. */
function runAction(workspace: string, inputs: Record<string, string>, event: { baseRef?: string } = {}): ActionRun {
  const { defaults, steps } = readAction();
  const runnerTemp = makeTree();
  const outputFile = path.join(runnerTemp, 'output');
  const summaryFile = path.join(runnerTemp, 'summary.md');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const base: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_ACTION_PATH: REPO,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_BASE_REF: event.baseRef ?? '',
    GITHUB_EVENT_NAME: event.baseRef ? 'pull_request' : 'push',
    NO_COLOR: '1',
  };
  let log = '';
  let code = 0;
  for (const step of steps) {
    if (step.uses) {
      expect(step.uses).toBe('actions/setup-node@v4');
      continue;
    }
    const env = { ...base };
    for (const [name, input] of step.inputEnv) env[name] = inputs[input] ?? defaults.get(input) ?? '';
    const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: workspace, env, encoding: 'utf8' });
    log += `${result.stdout}${result.stderr}`;
    code = result.status ?? -1;
    if (code !== 0) break;
  }
  const outputs = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { code, log, outputs, summary: fs.readFileSync(summaryFile, 'utf8') };
}

/** An upstream repository with the shop service on main and a pull-request branch cloned from it. */
function makePullRequest(change: (root: string) => void): string {
  const upstream = makeTree(SHOP_SERVICE);
  git(upstream, 'init', '-q', '-b', 'main');
  commitAll(upstream, 'shop service');
  const workspace = path.join(makeTree(), 'shop');
  git(path.dirname(workspace), 'clone', '-q', upstream, workspace);
  git(workspace, 'checkout', '-q', '-b', 'feature');
  change(workspace);
  commitAll(workspace, 'the pull request');
  return workspace;
}

const ADD_EXPORTS = (root: string) =>
  writeFile(root, 'src/app.js', SHOP_SERVICE['src/app.js']!.replace('app.listen(3000);', "app.post('/api/exports', async (req, res) => res.status(202).json(await Export.create(req.body)));\napp.listen(3000);"));

beforeAll(() => ensureBuilt(), 240_000);

describe('GitHub Action (action.yml)', () => {
  it('declares the documented inputs and outputs and runs on Node 20', () => {
    const { defaults, steps } = readAction();
    expect([...defaults.keys()]).toEqual(['paths', 'config', 'fail-on', 'category', 'baseline', 'sarif-file', 'changed-since', 'compare-routes']);
    expect(ACTION).toMatch(/using: composite/);
    expect(ACTION).toMatch(/node-version: 20/);
    for (const output of ['sarif-file', 'findings', 'errors', 'warnings', 'notes', 'new-findings']) expect(ACTION).toContain(`  ${output}:\n    description:`);
    expect(steps.map((s) => s.name)).toEqual(['Set up Node.js 20', 'Install authlint', 'Scan']);
    expect([...steps[2]!.inputEnv.values()].sort()).toEqual([...defaults.keys()].sort());
  });

  it('on a pull request: fails on the new finding, writes SARIF and outputs, and puts the exposure diff in the step summary', SLOW, () => {
    const workspace = makePullRequest(ADD_EXPORTS);
    const run = runAction(workspace, { category: 'shop' }, { baseRef: 'main' });
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({ findings: '2', errors: '2', warnings: '0', notes: '0', 'new-findings': '2', 'sarif-file': 'authlint.sarif' });
    const sarif = JSON.parse(fs.readFileSync(path.join(workspace, 'authlint.sarif'), 'utf8')) as { runs: Array<{ automationDetails?: { id: string }; results: unknown[] }> };
    expect(sarif.runs[0]!.automationDetails).toEqual({ id: 'shop/' });
    expect(sarif.runs[0]!.results).toHaveLength(2);
    expect(run.log).toContain("Route 'POST /api/exports' has no authentication: it changes state (POST: create() at src/app.js:10) and is not a credential flow.");
    expect(run.summary).toContain('### authlint\n\n**2 findings** (2 errors, 0 warnings, 0 notes) in 4 files.');
    expect(run.summary).toContain('### Route exposure\n\nThis change adds 1 route, 1 without authentication (POST /api/exports).');
    expect(run.summary).toContain('| POST `/api/exports` | none | - | src/app.js:');
  });

  it('with a committed baseline and changed-since auto: passes when the pull request adds nothing new', SLOW, () => {
    const workspace = makePullRequest((root) => {
      expect(spawnSync(process.execPath, [path.join(REPO, 'bin/authlint.js'), 'baseline'], { cwd: root }).status).toBe(0);
      writeFile(root, 'src/routes/legacy.js', `// Kept for the v1 reports page.\n${SHOP_SERVICE['src/routes/legacy.js']!}`);
    });
    const run = runAction(workspace, { baseline: '.authlint-baseline.json', 'changed-since': 'auto' }, { baseRef: 'main' });
    expect(run.log).toContain('--changed-since origin/main: reporting findings that touch changed files; 0 findings elsewhere not shown.');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ findings: '1', 'new-findings': '0' });
    expect(run.summary).toContain('Baseline `.authlint-baseline.json`: 0 new, 1 already in the baseline, 0 gone.');
    expect(run.summary).toContain('No route exposure changes since origin/main.');
  });

  it('on push: no diff against a base, and fail-on none never fails the step', SLOW, () => {
    const workspace = makePullRequest(ADD_EXPORTS);
    const run = runAction(workspace, { 'fail-on': 'none', 'sarif-file': 'reports/authlint.sarif' });
    expect(run.code).toBe(0);
    expect(run.outputs['sarif-file']).toBe('reports/authlint.sarif');
    expect(fs.existsSync(path.join(workspace, 'reports/authlint.sarif'))).toBe(true);
    expect(run.summary).not.toContain('Route exposure');
  });

  it('exits 2 and says why in the log and the summary for a bad input', SLOW, () => {
    const workspace = makePullRequest(ADD_EXPORTS);
    const run = runAction(workspace, { baseline: 'missing-baseline.json' });
    expect(run.code).toBe(2);
    expect(run.log).toContain('authlint: baseline file not found: missing-baseline.json');
    expect(run.log).toContain('::error::authlint could not complete the scan (exit code 2)');
    expect(run.summary).toContain('authlint could not complete the scan (exit code 2); see the log.');
  });
});
