import { Option, type Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../core/config.js';
import { getPackageVersion } from '../core/package-root.js';
import type { ServiceProfile } from '../core/profile.js';
import { buildJsonReport, type JsonReport } from '../report/json.js';
import { formatPostureHtml } from '../report/posture-html.js';
import { formatPostureJson, formatPostureMarkdown } from '../report/posture-markdown.js';
import { buildPostureReport, type PostureContract, type PostureInput } from '../report/posture.js';
import { findService } from '../report/profile.js';
import { writeOutput } from './analysis.js';
import { UsageError } from './formats.js';
import { readVersionControl } from './git.js';
import type { CliIo } from './io.js';
import { getServiceProfiles } from './profiles.js';
import { INFORMATION_URI } from './rule-info.js';
import { runScan } from './run-scan.js';
import { readSources } from './sources.js';

export type PostureFormat = 'html' | 'markdown' | 'json';

export interface PostureOptions {
  format: PostureFormat;
  output?: string;
  config?: string;
}

/** An input that could not be used; the others still make the report. */
class InputError extends Error {}

type ReportWithServices = Pick<JsonReport, 'findings' | 'repository' | 'services'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isProfile(value: unknown): value is ServiceProfile {
  return (
    isRecord(value) &&
    typeof value['name'] === 'string' &&
    typeof value['root'] === 'string' &&
    isRecord(value['jwt']) &&
    isRecord(value['routes']) &&
    isRecord(value['findings']) &&
    isRecord(value['owner']) &&
    Array.isArray(value['inventory'])
  );
}

/** Checks that parsed JSON is an authlint scan report carrying service profiles. */
export function readJsonReport(data: unknown, source: string): ReportWithServices {
  if (!isRecord(data) || !isRecord(data['tool']) || data['tool']['name'] !== 'authlint' || !Array.isArray(data['findings'])) {
    throw new InputError(`${source} is not an authlint JSON report (authlint scan --format json)`);
  }
  if (data['version'] !== 1) throw new InputError(`${source} has report version ${String(data['version'])}; this authlint reads version 1`);
  const services = data['services'];
  if (!Array.isArray(services)) throw new InputError(`${source} has no service profiles (written by an authlint before profiles); scan the service again`);
  const bad = services.findIndex((s) => !isProfile(s));
  if (bad !== -1) throw new InputError(`${source}: services[${bad}] is not a service profile`);
  return data as unknown as ReportWithServices;
}

/** One posture input per service of a report: its profile, repository and the findings in its folder. */
export function toPostureInputs(report: ReportWithServices, source: string): PostureInput[] {
  const services = report.services ?? [];
  return services.map((profile) => ({
    profile,
    source,
    ...(report.repository ? { repository: report.repository } : {}),
    findings: report.findings
      .filter((f) => !f.suppressed && findService(services, f.file) === profile)
      .map((f) => ({ ruleId: f.ruleId, level: f.level, message: f.message, file: f.file, line: f.line })),
  }));
}

async function scanCheckout(io: CliIo, abs: string, display: string): Promise<ReportWithServices> {
  const outcome = await runScan({ paths: [abs], root: abs, ...(io.rules ? { rules: io.rules } : {}) });
  const { result } = outcome;
  const vcs = io.readVersionControl === false ? undefined : readVersionControl(result.root);
  const services = getServiceProfiles(outcome, vcs) ?? [];
  return buildJsonReport({
    findings: result.findings,
    notifications: result.notifications,
    rules: outcome.rules,
    sources: readSources(result.root, result.findings, []),
    services,
    run: {
      toolName: 'authlint',
      toolVersion: getPackageVersion(),
      informationUri: INFORMATION_URI,
      root: display,
      ...(vcs ? { versionControl: vcs } : {}),
      successful: result.successful,
      filesScanned: result.filesScanned,
      linesScanned: result.linesScanned,
    },
  });
}

async function readInput(io: CliIo, input: string): Promise<PostureInput[]> {
  const abs = path.resolve(io.cwd, input);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new InputError(`path does not exist: ${input}`);
  if (stat.isDirectory()) {
    try {
      return toPostureInputs(await scanCheckout(io, abs, input), input);
    } catch (error) {
      if (error instanceof ConfigError) throw new InputError(`${input}: invalid configuration: ${error.message}`);
      throw error;
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (error) {
    throw new InputError(`${input} cannot be read as JSON: ${error instanceof SyntaxError ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error))}`);
  }
  return toPostureInputs(readJsonReport(data, input), input);
}

function readContract(io: CliIo, configFile: string | undefined): PostureContract {
  const { config } = loadConfig(io.cwd, configFile ? path.resolve(io.cwd, configFile) : undefined);
  const project = config.project ?? {};
  return {
    ...(project.tokenContract ? { tokenContract: project.tokenContract } : {}),
    ...(project.sharedLibrary ? { sharedLibraries: project.sharedLibrary.packages } : {}),
  };
}

/** `authlint posture`: reads every input, keeps going past bad ones, writes one report. Exit 2 when an input failed or none gave a service. */
export async function runPostureCommand(io: CliIo, inputs: readonly string[], options: PostureOptions): Promise<number> {
  if (inputs.length === 0) throw new UsageError('posture needs at least one service folder or JSON report');
  const contract = readContract(io, options.config);
  const collected: PostureInput[] = [];
  let failed = 0;
  for (const input of inputs) {
    try {
      collected.push(...(await readInput(io, input)));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      failed++;
      io.stderr.write(`authlint: ${error.message}\n`);
    }
  }
  if (collected.length === 0) {
    io.stderr.write('authlint: no service to report on.\n');
    return 2;
  }
  const report = buildPostureReport(collected, contract);
  const text =
    options.format === 'json'
      ? formatPostureJson(report)
      : options.format === 'markdown'
        ? formatPostureMarkdown(report)
        : formatPostureHtml(report, { toolVersion: getPackageVersion() });
  writeOutput(io, options.output, text);
  return failed > 0 ? 2 : 0;
}

/** Registers `authlint posture` on the program. */
export function registerPostureCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('posture')
    .description('compare the auth of many services: scan checkouts and read JSON reports, write one HTML, markdown or JSON report')
    .argument('<inputs...>', 'service folders to scan and/or JSON reports of authlint scan --format json')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['html', 'markdown', 'json']).default('html'))
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-c, --config <path>', 'configuration with the organisation contract: project.tokenContract, project.sharedLibrary (default: searched upwards from the working directory)')
    .action(async (inputs: string[], options: PostureOptions) => {
      setExit(await runPostureCommand(io, inputs, options));
    });
}
