import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Finding } from '../core/types.js';
import { FINGERPRINT_KEY } from '../report/fingerprint.js';
import type { AbsentFinding, BaselineComparison, BaselineState } from '../report/types.js';
import { collect, runAnalysis, writeOutput, type LoadOptions } from './analysis.js';
import { UsageError } from './formats.js';
import type { CliIo } from './io.js';
import { prepareFindings } from './rollout.js';

/** Version of the baseline file shape; bumped on any incompatible change. */
export const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = '.authlint-baseline.json';

/**
 * One recorded finding. No line numbers: they move whenever code above changes, and the file
 * should only change when findings do.
 */
export type BaselineEntry = AbsentFinding;

export interface BaselineFile {
  version: typeof BASELINE_VERSION;
  /** The fingerprint recipe (`authlint/v1`); a file recorded with another recipe cannot be matched. */
  fingerprintKey: string;
  findings: BaselineEntry[];
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const ka = `${a.file}\0${a.ruleId}\0${a.fingerprint}`;
  const kb = `${b.file}\0${b.ruleId}\0${b.fingerprint}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The baseline of a run: its unsuppressed findings, sorted by file, rule and fingerprint. */
export function buildBaseline(findings: readonly Finding[], fingerprints: readonly string[]): BaselineFile {
  const entries = findings.flatMap((f, i) =>
    f.suppression ? [] : [{ ruleId: f.ruleId, level: f.level, message: f.message, file: f.file, fingerprint: fingerprints[i] as string }],
  );
  return { version: BASELINE_VERSION, fingerprintKey: FINGERPRINT_KEY, findings: entries.sort(compareEntries) };
}

export function formatBaseline(baseline: BaselineFile): string {
  const lines = baseline.findings.map((entry) => `    ${JSON.stringify(entry)}`);
  // One finding per line: a fixed or new finding is a one-line diff.
  return `{\n  "version": ${baseline.version},\n  "fingerprintKey": ${JSON.stringify(baseline.fingerprintKey)},\n  "findings": [${lines.length > 0 ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

function isEntry(value: unknown): value is BaselineEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['ruleId', 'message', 'file', 'fingerprint'].every((k) => typeof v[k] === 'string') && (v['level'] === 'error' || v['level'] === 'warning' || v['level'] === 'note')
  );
}

/** Reads and checks a baseline file; every problem is a UsageError naming the file. */
export function readBaseline(file: string, cwd: string): BaselineFile {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `baseline file not found: ${file} (create it with authlint baseline --output ${file})` : `cannot read baseline ${file}: ${code ?? (error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`baseline ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const b = data as Partial<BaselineFile> | null;
  if (typeof b !== 'object' || b === null || b.version !== BASELINE_VERSION || !Array.isArray(b.findings)) {
    throw new UsageError(`baseline ${file} is not an authlint baseline (version ${BASELINE_VERSION} with a findings array)`);
  }
  if (b.fingerprintKey !== FINGERPRINT_KEY) {
    throw new UsageError(
      `baseline ${file} was recorded with fingerprints '${String(b.fingerprintKey)}', this authlint computes '${FINGERPRINT_KEY}'; record it again with authlint baseline`,
    );
  }
  const bad = b.findings.findIndex((entry) => !isEntry(entry));
  if (bad !== -1) throw new UsageError(`baseline ${file}: findings[${bad}] needs ruleId, level, message, file and fingerprint`);
  return { version: BASELINE_VERSION, fingerprintKey: b.fingerprintKey, findings: b.findings };
}

/** Matches findings to baseline entries by fingerprint: each entry matches at most one finding. */
export function compareWithBaseline(fingerprints: readonly string[], baseline: BaselineFile, file: string): BaselineComparison {
  const remaining = new Map<string, BaselineEntry>(baseline.findings.map((e) => [e.fingerprint, e]));
  const states: BaselineState[] = fingerprints.map((fp) => {
    if (!remaining.has(fp)) return 'new';
    remaining.delete(fp);
    return 'unchanged';
  });
  return { file, states, absent: [...remaining.values()].sort(compareEntries) };
}

interface BaselineCommandOptions extends LoadOptions {
  output: string;
}

export function registerBaselineCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('baseline')
    .description('record the current findings in a baseline file, so that `scan --baseline FILE` fails only on new ones')
    .argument('[paths...]', 'files or folders to scan (as for scan)')
    .option('-o, --output <file>', 'the baseline file to write', DEFAULT_BASELINE_FILE)
    .option('-c, --config <path>', 'configuration file (default: searched upwards from the folder)')
    .option('--no-progress', 'never show progress on stderr')
    .addOption(new Option('--include <glob>', 'only report findings in files matching this glob (repeatable)').argParser(collect).default([], 'every JS/TS source file'))
    .addOption(new Option('--exclude <glob>', 'skip files matching this glob (repeatable)').argParser(collect).default([], 'none'))
    .action(async (paths: string[], options: BaselineCommandOptions) => {
      const outcome = await runAnalysis(io, paths, options, 'scan');
      const { findings, fingerprints } = prepareFindings(outcome.result);
      const baseline = buildBaseline(findings, fingerprints);
      writeOutput(io, options.output, formatBaseline(baseline));
      const n = baseline.findings.length;
      io.stderr.write(`authlint: recorded ${n} ${n === 1 ? 'finding' : 'findings'} in ${options.output}.\n`);
      setExit(0);
    });
}
