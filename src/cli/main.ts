import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, formatConfigError } from '../core/config.js';
import { getPackageVersion } from '../core/package-root.js';
import type { AnyRule } from '../core/rule.js';
import { formatGitHub } from '../report/github.js';
import { formatGitLab } from '../report/gitlab.js';
import { formatJson } from '../report/json.js';
import { formatMarkdown } from '../report/markdown.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { LEVEL_RANK, type BaselineComparison, type ReportInput } from '../report/types.js';
import type { ScanResult } from '../scan.js';
import { resolveOutputs, UsageError, type OutputTarget } from './formats.js';
import { readVersionControl } from './git.js';
import { getDefaultIo, type CliIo } from './io.js';
import { registerPostureCommand } from './posture.js';
import { getServiceProfiles } from './profiles.js';
import { INFORMATION_URI } from './rule-info.js';
import { MissingPathError } from './run-scan.js';
import { addCacheOptions, collect, displayPath, getFormatOption, getJobsOption, runAnalysis, writeOutput, type LoadOptions } from './analysis.js';
import { registerBaselineCommand } from './baseline.js';
import { registerInitCommand } from './init.js';
import { compareRoutes, formatRouteDiff, resolveCompareBase } from './compare.js';
import { registerJwksCommand } from './jwks.js';
import { registerProbeCommand } from './probe.js';
import { applyRolloutOptions, readRolloutOptions, reportNarrowing } from './rollout.js';
import { getFailOnOption, parseMaxWarnings, type FailOn } from './levels.js';
import { formatEffectiveConfig } from './print-config.js';
import { formatRuleDoc } from './rule-info.js';

/** Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or more warnings than --max-warnings), 2 usage, configuration or internal error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;


interface ScanCommandOptions {
  format: string[];
  output?: string;
  config?: string;
  failOn: FailOn;
  category?: string;
  quiet?: boolean;
  progress: boolean;
  include: string[];
  exclude: string[];
  baseline?: string;
  changedSince?: string;
  maxWarnings?: number;
  printConfig?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  jobs?: number;
}

/** Unsuppressed warnings that are not in the baseline: what --max-warnings counts. */
export function countWarnings(result: Pick<ScanResult, 'findings'> & { baseline?: BaselineComparison }): number {
  return result.findings.filter((f, i) => !f.suppression && f.level === 'warning' && result.baseline?.states[i] !== 'unchanged').length;
}

/** Whether the run fails the build: an unsuppressed finding at or above the threshold that is not in the baseline. */
export function hasFailingFindings(result: Pick<ScanResult, 'findings'> & { baseline?: BaselineComparison }, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return result.findings.some((f, i) => !f.suppression && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn] && result.baseline?.states[i] !== 'unchanged');
}

export function colorEnabled(io: CliIo): boolean {
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return io.stdout.isTTY === true;
}

async function loadRules(io: CliIo): Promise<readonly AnyRule[]> {
  return io.rules ?? (await import('../../rules/index.js')).ALL_RULES;
}

async function runScanCommand(io: CliIo, paths: string[], options: ScanCommandOptions): Promise<number> {
  if (options.printConfig) {
    io.stdout.write(formatEffectiveConfig(io, paths, options, await loadRules(io)));
    return EXIT_OK;
  }
  const outputs = resolveOutputs(options.format, options.output);
  const rollout = readRolloutOptions(io, paths, options);
  const outcome = await runAnalysis(io, paths, options, rollout.changed ? 'scan-with-routes' : 'scan');
  const { result } = outcome;
  const shown = applyRolloutOptions(outcome, rollout);
  reportNarrowing(io, shown, options.changedSince);

  const version = getPackageVersion();
  const vcs = io.readVersionControl === false ? undefined : readVersionControl(result.root);
  const input: ReportInput = {
    findings: shown.findings,
    fingerprints: shown.fingerprints,
    ...(shown.baseline ? { baseline: shown.baseline } : {}),
    notifications: result.notifications,
    rules: outcome.rules,
    sources: shown.sources,
    run: {
      toolName: 'authlint',
      toolVersion: version,
      informationUri: INFORMATION_URI,
      root: displayPath(io.cwd, result.root),
      ...(options.category ? { category: options.category } : {}),
      ...(vcs ? { versionControl: vcs } : {}),
      successful: result.successful,
      filesScanned: result.filesScanned,
      linesScanned: result.linesScanned,
    },
  };
  const services = getServiceProfiles(outcome, vcs);
  if (services) input.services = services;
  for (const target of outputs) writeReport(io, target, input, options);
  if (hasFailingFindings(shown, options.failOn)) return EXIT_FINDINGS;
  const warnings = countWarnings(shown);
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr.write(`authlint: ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, more than --max-warnings ${options.maxWarnings}.\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

export function writeReport(io: CliIo, target: OutputTarget, input: ReportInput, options: Pick<ScanCommandOptions, 'quiet' | 'failOn'>): void {
  const text =
    target.format === 'json'
      ? formatJson(input)
      : target.format === 'sarif'
        ? formatSarif(input)
        : target.format === 'markdown'
          ? formatMarkdown(input)
          : target.format === 'gitlab'
            ? formatGitLab(input)
            : target.format === 'github'
              ? formatGitHub(input)
              : formatText(input, { color: target.file === undefined && colorEnabled(io), quiet: options.quiet === true, failOn: options.failOn });
  writeOutput(io, target.file, text);
}

interface RoutesCommandOptions extends LoadOptions {
  format: 'table' | 'json' | 'markdown';
  output?: string;
  compare?: string;
}

async function runRoutesCommand(io: CliIo, target: string | undefined, options: RoutesCommandOptions): Promise<number> {
  const base = options.compare !== undefined ? resolveCompareBase(io, target, options.compare) : undefined;
  const { result, inventory } = await runAnalysis(io, target ? [target] : [], options, 'routes');
  const { formatRouteJson, formatRouteMarkdown, formatRouteTable } = await import('../report/routes.js');
  const empty = { routes: [], summary: { total: 0, authenticated: 0, optional: 0, unknown: 0, unauthenticated: 0 } };
  const rows = inventory ?? empty;
  const text = base
    ? formatRouteDiff(await compareRoutes(io, base, rows, options), options.format)
    : options.format === 'json'
      ? formatRouteJson(rows)
      : options.format === 'markdown'
        ? formatRouteMarkdown(rows)
        : formatRouteTable(rows);
  writeOutput(io, options.output, text);
  const missed = result.notifications.filter((n) => n.level === 'error').length;
  if (missed > 0) {
    io.stderr.write(`authlint: ${missed} ${missed === 1 ? 'file was' : 'files were'} not analysed; the inventory may be incomplete (authlint scan lists them).\n`);
  }
  if (result.filesScanned === 0) io.stderr.write('authlint: No JavaScript or TypeScript files found to scan.\n');
  return EXIT_OK;
}

function formatRulesTable(rules: readonly AnyRule[]): string {
  const rows = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => [r.id, r.meta.level, r.meta.cwe.map((n) => `CWE-${n}`).join(', '), r.meta.description]);
  if (rows.length === 0) return 'No rules.\n';
  const header = ['RULE', 'LEVEL', 'CWE', 'DESCRIPTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function formatRulesJson(rules: readonly AnyRule[]): string {
  const data = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id,
      level: r.meta.level,
      cwe: r.meta.cwe.map((n) => `CWE-${n}`),
      description: r.meta.description,
      category: r.meta.category,
      scope: r.meta.scope,
      precision: r.meta.precision,
      securitySeverity: r.meta.securitySeverity,
      enabledByDefault: r.meta.enabledByDefault !== false,
    }));
  return `${JSON.stringify(data, null, 2)}\n`;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('authlint')
    .description('Static analysis of the authentication and authorization code of Node.js and TypeScript services.')
    .version(getPackageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      outputError: (message, write) => write(`authlint: ${message.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing at or above --fail-on, 1 findings at or above it or more warnings than --max-warnings, 2 usage, configuration or internal error.',
    );

  const scanCommand = program
    .command('scan', { isDefault: false })
    .description('scan files or folders (default: the current folder) and report findings')
    .argument('[paths...]', 'files or folders to scan')
    .addOption(getFormatOption())
    .option('-o, --output <file>', 'write the (first) report to a file instead of standard output')
    .option('-c, --config <path>', 'configuration file (default: authlint.config.json, .authlintrc.json or package.json "authlint", searched upwards)')
    .addOption(getFailOnOption())
    .addOption(new Option('--max-warnings <n>', 'also exit 1 when more than N warnings are reported (unsuppressed, not in the baseline)').argParser(parseMaxWarnings))
    .option('--print-config', 'print the effective configuration (config file, globs, every rule with its level and options) as JSON and scan nothing')
    .option('--category <id>', 'SARIF automationDetails.id, to upload several analyses of one repository')
    .option('-q, --quiet', 'text report: only findings at or above --fail-on and error notifications; nothing when clean')
    .option('--no-progress', 'never show progress on stderr')
    .addOption(new Option('--include <glob>', 'only scan files matching this glob (repeatable)').argParser(collect).default([], 'every JS/TS source file'))
    .addOption(new Option('--exclude <glob>', 'skip files matching this glob (repeatable), besides node_modules, build output and .gitignore').argParser(collect).default([], 'none'))
    .option('--baseline <file>', 'fail only on findings not recorded in this baseline file (written by authlint baseline); baselined findings stay visible')
    .option('--changed-since <ref>', 'analyse the whole project but report only findings that touch files changed since this git ref')
    .addOption(getJobsOption());
  addCacheOptions(scanCommand).action(async (paths: string[], options: ScanCommandOptions) => {
    setExit(await runScanCommand(io, paths, options));
  });

  const routesCommand = program
    .command('routes')
    .description('print the route inventory: method, full path, authentication, authorization and location of every route')
    .argument('[path]', 'service folder (default: the current folder)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('-o, --output <file>', 'write the inventory to a file instead of standard output')
    .option('-c, --config <path>', 'configuration file (default: searched upwards from the folder)')
    .option('--no-progress', 'never show progress on stderr')
    .addOption(new Option('--include <glob>', 'only read files matching this glob (repeatable)').argParser(collect).default([], 'every JS/TS source file'))
    .addOption(new Option('--exclude <glob>', 'skip files matching this glob (repeatable)').argParser(collect).default([], 'none'))
    .option('--compare <base>', 'print the route-exposure diff against BASE: a git ref, or an inventory written by routes --format json')
    .addOption(getJobsOption());
  addCacheOptions(routesCommand).action(async (target: string | undefined, options: RoutesCommandOptions) => {
    setExit(await runRoutesCommand(io, target, options));
  });

  registerBaselineCommand(program, io, setExit);
  registerPostureCommand(program, io, setExit);
  registerJwksCommand(program, io, setExit);
  registerInitCommand(program, io, setExit);
  registerProbeCommand(program, io, setExit);

  program
    .command('rules')
    .description('list the rules with their default level, CWE and description, or print the documentation of one')
    .argument('[id]', 'a rule id: print its documentation')
    .addOption(new Option('-f, --format <format>', 'output format of the list').choices(['text', 'json']).default('text'))
    .action(async (id: string | undefined, options: { format: 'text' | 'json' }) => {
      const rules = await loadRules(io);
      io.stdout.write(id !== undefined ? formatRuleDoc(rules, id) : options.format === 'json' ? formatRulesJson(rules) : formatRulesTable(rules));
      setExit(EXIT_OK);
    });

  return program;
}

function reportError(io: CliIo, error: unknown): number {
  const debug = io.env['AUTHLINT_DEBUG'] === '1';
  let line: string;
  if (error instanceof ConfigError) line = formatConfigError(error, io.cwd);
  else if (error instanceof MissingPathError) line = error.message;
  else if (error instanceof UsageError) line = error.message;
  else {
    const message = error instanceof Error ? error.message : String(error);
    line = `internal error: ${message}${debug ? '' : ' (set AUTHLINT_DEBUG=1 for details)'}`;
  }
  io.stderr.write(`authlint: ${line}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_ERROR;
}

/** Runs the command line; resolves to the exit code and never throws. */
export async function main(argv: readonly string[], io: CliIo = getDefaultIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_ERROR;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (error instanceof InvalidArgumentError) return reportError(io, new UsageError(error.message));
    return reportError(io, error);
  }
}
