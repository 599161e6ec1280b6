import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const MULTITOOL = path.join(REPO, 'node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');

/** npm 11 skips the multitool's postinstall, which would have made it executable. */
export function prepareMultitool(): void {
  fs.chmodSync(MULTITOOL, 0o755);
}

export interface ValidationIssue {
  level: string;
  ruleId: string;
  text: string;
}

/** Runs Microsoft's SARIF multitool with the GitHub and SARIF rule sets; returns its errors and warnings. */
export function validateSarif(file: string): ValidationIssue[] {
  const log = `${file}.validation.sarif`;
  execFileSync(MULTITOOL, ['validate', file, '--rule-kind', 'Gh;Sarif', '--output', log, '--log', 'ForceOverwrite'], {
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    stdio: 'pipe',
  });
  const output = JSON.parse(fs.readFileSync(log, 'utf8')) as {
    runs: Array<{
      results?: Array<{ level?: string; ruleId: string; message: { id?: string; text?: string; arguments?: string[] } }>;
      invocations?: Array<{ toolExecutionNotifications?: Array<{ level?: string; message: { text: string } }> }>;
    }>;
  };
  const run = output.runs[0]!;
  const issues = (run.results ?? [])
    .map((r) => ({ level: r.level ?? 'warning', ruleId: r.ruleId, text: (r.message.arguments ?? []).join(' | ') || (r.message.text ?? '') }))
    .filter((r) => r.level === 'error' || r.level === 'warning');
  for (const n of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
    if (n.level === 'error' || n.level === undefined) issues.push({ level: 'error', ruleId: 'tool', text: n.message.text });
  }
  return issues;
}

