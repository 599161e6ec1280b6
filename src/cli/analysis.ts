import fs from 'node:fs';
import path from 'node:path';
import type { AuthlintConfig } from '../core/config.js';
import { DEFAULT_CACHE_LOCATION } from '../core/scan-cache.js';
import { getDefaultScanRoot } from '../core/scan-root.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FORMATS, UsageError } from './formats.js';
import type { CliIo } from './io.js';
import { ProgressLine } from './progress.js';
import { MissingPathError, runScan, type ScanOutcome, type ScanTask } from './run-scan.js';

/** What the scanning subcommands share: the helpers every one of them needs. */

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `-f, --format NAME[:FILE]`, repeatable, as every reporting subcommand takes it. */
export function getFormatOption(): Option {
  return new Option('-f, --format <format>', `report format: ${FORMATS.join(', ')}, optionally NAME:FILE; repeat for several`).argParser(collect).default([], 'text');
}

/** `--jobs N`: how many extraction threads read and parse the files ahead of the scan. */
export function getJobsOption(): Option {
  return new Option('--jobs <n>', 'threads that read and parse files ahead of the analysis thread; 1: none, the analysis thread parses every file (default: 1)').argParser(parseJobs);
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(jobs) || jobs < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return jobs;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function displayPath(cwd: string, abs: string): string {
  const rel = toPosix(path.relative(cwd, abs));
  if (rel === '') return '.';
  return rel.startsWith('../') || path.isAbsolute(rel) ? toPosix(abs) : rel;
}

export interface LoadOptions {
  config?: string;
  /** A configuration used instead of any file (`init` starts from none). */
  configObject?: AuthlintConfig;
  quiet?: boolean;
  progress: boolean;
  include: string[];
  exclude: string[];
  /** `--cache` / `--no-cache` (scan and routes; off unless asked for). */
  cache?: boolean;
  cacheLocation?: string;
  /** `--jobs`; undefined: the default of `runScan`. */
  jobs?: number;
}

/** `--cache`, `--no-cache` and `--cache-location`: the cache is used when asked for and not refused. */
export function addCacheOptions(command: Command): Command {
  return command
    .option('--cache', `reuse the output of the last run when no file, setting or authlint itself changed (stored in ${DEFAULT_CACHE_LOCATION.split(path.sep).join('/')})`)
    .option('--no-cache', 'do not read or write the cache (the default)')
    .option('--cache-location <dir>', 'folder of the cache files (implies --cache)');
}

function getCacheLocation(io: CliIo, options: LoadOptions): string | undefined {
  if (options.cache === false || (options.cache !== true && options.cacheLocation === undefined)) return undefined;
  return path.resolve(io.cwd, options.cacheLocation ?? DEFAULT_CACHE_LOCATION);
}

/** The absolute paths to scan (default the working directory) and the scan root; a MissingPathError for a path that does not exist. */
export function resolveScanPaths(io: CliIo, paths: readonly string[]): { absPaths: string[]; root: string } {
  const given = paths.length > 0 ? paths : ['.'];
  for (const p of given) {
    try {
      fs.lstatSync(path.resolve(io.cwd, p));
    } catch {
      throw new MissingPathError(p);
    }
  }
  const absPaths = given.map((p) => path.resolve(io.cwd, p));
  return { absPaths, root: getDefaultScanRoot(absPaths, io.cwd) };
}

/** Checks the paths, picks the root and runs the scan (or the route inventory) with progress on a terminal. */
export async function runAnalysis(io: CliIo, paths: string[], options: LoadOptions, task: ScanTask): Promise<ScanOutcome> {
  const { absPaths, root } = resolveScanPaths(io, paths);
  const cacheLocation = task === 'init' ? undefined : getCacheLocation(io, options);
  const progress =
    options.progress && !options.quiet && io.stderr.isTTY === true && io.env['CI'] === undefined ? new ProgressLine(io.stderr) : undefined;
  try {
    return await runScan(
      {
        paths: absPaths,
        root,
        ...(options.config ? { configFile: path.resolve(io.cwd, options.config) } : {}),
        ...(options.configObject ? { config: options.configObject } : {}),
        ...(options.include.length > 0 ? { include: options.include } : {}),
        ...(options.exclude.length > 0 ? { exclude: options.exclude } : {}),
        ...(io.rules ? { rules: io.rules } : {}),
        ...(cacheLocation ? { cache: { location: cacheLocation } } : {}),
      },
      progress ? (p) => progress.update(p) : undefined,
      task,
      options.jobs !== undefined ? { jobs: options.jobs } : {},
    );
  } finally {
    progress?.clear();
  }
}

export function writeOutput(io: CliIo, file: string | undefined, text: string): void {
  if (file === undefined) {
    io.stdout.write(text);
    return;
  }
  const abs = path.resolve(io.cwd, file);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

