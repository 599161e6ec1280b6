import v8 from 'node:v8';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { ConfigError } from '../core/config.js';
import { cancelSending, markEnded, type UnchangedFiles } from '../core/file-plan.js';
import { getPackageVersion } from '../core/package-root.js';
import type { DiscoverResult } from '../core/discover.js';
import type { RouteInventory } from '../core/inventory.js';
import type { ServiceFacts } from '../core/profile.js';
import type { InitSuggestions } from '../facts/routes/suggestions.js';
import type { AnyRule } from '../core/rule.js';
import type { RuleDescriptor } from '../report/types.js';
import type { ScanOptions, ScanProgress, ScanResult } from '../scan.js';
import { getDefaultJobs, startExtractionPool, type PoolFeedInput } from './extract-pool.js';
import { UsageError } from './formats.js';
import { describeRules } from './rule-info.js';

/** Stack for the scan thread: TypeScript's parser recurses once per nesting level. */
export const SCAN_STACK_MB = 256;
/**
 * Young generation of the scan thread. Every syntax tree stays alive for the whole scan, so most of what the parser
 * allocates survives its first collections; a larger nursery means fewer of them. Measured on the 1M-line benchmark:
 * about 9 % less wall time (docs/performance.md); no effect on small repositories, +16 MB peak RSS.
 */
export const SCAN_YOUNG_GENERATION_MB = 96;

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  key?: string;
  path?: string;
}

/** What a scan hands to the reporters: the plain result and the metadata of every known rule. */
export interface ScanOutcome {
  result: ScanResult;
  rules: RuleDescriptor[];
  /** The route inventory, for the `routes` task. */
  inventory?: RouteInventory;
  /** For the `scan-with-routes` task: each route's registration and the files its protection depends on. */
  routeDependencies?: RouteDependency[];
  /** The per-service auth facts, for the `scan` task. */
  services?: ServiceFacts[];
  /** For the `init` task: what `authlint init` proposes. */
  suggestions?: InitSuggestions;
}

/** What the `scan`, `scan-with-routes` and `routes` tasks compute from the project besides the findings. */
interface ScanExtras {
  /** The metadata of every known rule (for SARIF), cached too, so that a hit loads no rule. */
  rules: RuleDescriptor[];
  services?: ServiceFacts[];
  inventory?: RouteInventory;
  routeDependencies?: RouteDependency[];
}

export interface RouteDependency {
  file: string;
  start: number;
  files: string[];
}

/**
 * `scan` runs the rules; `routes` only loads the files and builds the route inventory;
 * `scan-with-routes` runs the rules and also records what each route depends on (`--changed-since`);
 * `init` loads the files and collects configuration suggestions.
 */
export type ScanTask = 'scan' | 'routes' | 'scan-with-routes' | 'init';

export interface WorkerInput {
  options: WorkerScanOptions;
  task: ScanTask;
  /**
   * Where the reading thread sends the discovered files and their texts (FeedMessage), and three counters: [0] goes up
   * after each message sent, so that the scan thread can wait for the next one without returning to its event loop;
   * [1] is set when the reading thread has ended (the scan thread then reads whatever is left itself); [2] goes up after
   * each message received, so that the reading thread stays only a few batches ahead; [3] is set when the scan has
   * ended, so that the reading thread stops.
   */
  feed?: { port: MessagePort; signal: SharedArrayBuffer };
  /** Instead of `feed`: the discovery from the main thread and the files read and summarised by the extraction threads. */
  pool?: PoolFeedInput;
}

/** How the CLI runs a scan (not part of the scan's own options). */
export interface RunSettings {
  /**
   * Extraction threads that read and parse the files ahead of the scan thread (`--jobs`; default one per processor).
   * 1 starts none: the reading thread reads ahead and the scan thread parses every file itself.
   */
  jobs?: number;
}

/** What the reading thread (read-worker.ts) gets: the scan's file selection and its end of the channel. */
export interface ReaderInput {
  options: WorkerScanOptions;
  /** The files, when the cache lookup discovered them already (with the same plan). */
  discovered?: DiscoverResult;
  /** The files the cache lookup found unchanged by their stamps: handed on unread. */
  unchanged?: UnchangedFiles;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'result'; outcome: ScanOutcome }
  | { type: 'error'; error: SerializedError };

/** A path argument that does not exist (exit code 2). */
export class MissingPathError extends Error {
  readonly path: string;
  constructor(p: string) {
    super(`path does not exist: ${p}`);
    this.name = 'MissingPathError';
    this.path = p;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const extra = error as Error & { file?: unknown; key?: unknown; path?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof extra.file === 'string' ? { file: extra.file } : {}),
    ...(typeof extra.key === 'string' ? { key: extra.key } : {}),
    ...(typeof extra.path === 'string' ? { path: extra.path } : {}),
  };
}

export function deserializeError(error: SerializedError): Error {
  let result: Error;
  if (error.name === 'ConfigError') result = new ConfigError(error.message, error.file, error.key);
  else if (error.name === 'PathNotFoundError' && error.path !== undefined) result = new MissingPathError(error.path);
  else if (error.name === 'IncludeMatchesNothingError' || error.name === 'UsageError') result = new UsageError(error.message);
  else {
    result = new Error(error.message);
    result.name = error.name;
  }
  if (error.stack) result.stack = error.stack;
  return result;
}

export type WorkerScanOptions = Omit<ScanOptions, 'rules' | 'onProgress' | 'feed'>;

/** Where the compiled worker lives; undefined when running from TypeScript sources (tests), which cannot start one. */
function getWorkerUrl(name = 'scan-worker'): URL | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  return new URL(`./${name}.js`, import.meta.url);
}

/** Scans on the current thread; ts-morph and the rules are loaded only here and in the worker. */
export async function scanHere(options: ScanOptions, task: ScanTask, onProgress?: (progress: ScanProgress) => void): Promise<ScanOutcome> {
  try {
    // The cache is looked up before the compiler and the rules are loaded: a hit needs neither.
    const early = options.cacheChecked ? undefined : await lookUpCache(options, task);
    if (early?.kind === 'hit') return early.outcome;
    return await analyse({ ...options, ...(early ? { cacheChecked: early.checked } : {}) }, task, onProgress);
  } catch (error) {
    throw deserializeError(serializeError(error));
  }
}

function withoutUnchanged(checked: NonNullable<ScanOptions['cacheChecked']>): NonNullable<ScanOptions['cacheChecked']> {
  const { unchanged: _unchanged, ...rest } = checked;
  return rest;
}

type CacheLookedUp = { kind: 'hit'; outcome: ScanOutcome } | { kind: 'miss'; checked: NonNullable<ScanOptions['cacheChecked']>; discovered?: DiscoverResult };

/**
 * Looks the task up in the scan cache (`lookupScanEarly`: no compiler, no rule, and no file read that the cache knows
 * unchanged by its stamp); undefined when the task does not use the cache.
 */
async function lookUpCache(options: ScanOptions, task: ScanTask): Promise<CacheLookedUp | undefined> {
  if (!options.cache || options.rules || task === 'init') return undefined;
  const { lookupScanEarly, resultFromCache } = await import('../core/scan-cache.js');
  const started = performance.now();
  const early = lookupScanEarly(task === 'routes' ? { ...options, skipRules: true } : options, { location: options.cache.location, purpose: `cli ${task}`, rules: 'authlint' });
  if (early.kind === 'miss') return { kind: 'miss', checked: early.checked, ...(early.discovered ? { discovered: early.discovered } : {}) };
  const { collected, ...result } = resultFromCache(early.output, early.configFile);
  const extras = collected as ScanExtras;
  return {
    kind: 'hit',
    outcome: {
      result: { root: early.root, ...result, durationMs: performance.now() - started },
      rules: extras.rules,
      ...(extras.services ? { services: extras.services } : {}),
      ...(extras.routeDependencies ? { routeDependencies: extras.routeDependencies } : {}),
      ...(extras.inventory ? { inventory: extras.inventory } : {}),
    },
  };
}

async function analyse(options: ScanOptions, task: ScanTask, onProgress?: (progress: ScanProgress) => void): Promise<ScanOutcome> {
  const { scan } = await import('../scan.js');
  const rules: readonly AnyRule[] = options.rules ?? (await import('../../rules/index.js')).ALL_RULES;
  const { getRouteInventory } = task === 'routes' ? await import('../facts/routes/inventory.js') : { getRouteInventory: undefined };
  const dependencies = task === 'scan-with-routes' ? await import('../facts/routes/dependencies.js') : undefined;
  const { getServiceFacts } = await import('../facts/profile.js');
  const init = task === 'init' ? await import('../facts/routes/suggestions.js') : undefined;
  const descriptors = describeRules(rules, getPackageVersion());
  try {
    let inventory: RouteInventory | undefined;
    let routeDependencies: RouteDependency[] | undefined;
    let services: ServiceFacts[] | undefined;
    let suggestions: InitSuggestions | undefined;
    const result = scan({
      ...options,
      ...(onProgress ? { onProgress } : {}),
      ...(getRouteInventory
        ? {
            skipRules: true,
            collect: (project, isReportedFile): ScanExtras => ({ rules: descriptors, inventory: getRouteInventory(project, isReportedFile) }),
            ...(options.cache ? { cache: { ...options.cache, purpose: `cli ${task}` } } : {}),
          }
        : init
          ? {
              skipRules: true,
              onProject: (project) => {
                suggestions = init.getInitSuggestions(project);
              },
            }
          : {
              // Plain data, so that a scan whose output comes from the cache has it too.
              collect: (project): ScanExtras => ({
                rules: descriptors,
                services: getServiceFacts(project),
                ...(dependencies ? { routeDependencies: dependencies.getRouteDependencies(project) } : {}),
              }),
              ...(options.cache ? { cache: { ...options.cache, purpose: `cli ${task}` } } : {}),
            }),
    });
    const extras = result.collected as ScanExtras | undefined;
    if (extras) {
      services = extras.services;
      routeDependencies = extras.routeDependencies;
      inventory = extras.inventory;
      delete result.collected;
    }
    return {
      result,
      rules: descriptors,
      ...(inventory ? { inventory } : {}),
      ...(routeDependencies ? { routeDependencies } : {}),
      ...(services ? { services } : {}),
      ...(suggestions ? { suggestions } : {}),
    };
  } catch (error) {
    throw deserializeError(serializeError(error));
  }
}

/**
 * V8's optimising compiler, on its helper threads, spends most of their time on a scan re-optimising TypeScript's large
 * parser functions, inlining callees into them, after each deoptimisation, once per thread that parses. Without
 * inlining a scan of ever-gauzy takes about a tenth less CPU (docs/performance.md, round 6 of issue 14). Set once per
 * process before the threads start, when nothing has been optimised yet; the output does not depend on it.
 */
function useScanCompilerSettings(): void {
  v8.setFlagsFromString('--no-turbo-inlining');
}

/**
 * Runs `scan` on a worker thread with a large stack and transfers the plain result back.
 * Falls back to the current thread when custom rules are given (functions cannot cross threads)
 * or when no compiled worker exists.
 */
export async function runScan(
  options: ScanOptions,
  onProgress?: (progress: ScanProgress) => void,
  task: ScanTask = 'scan',
  settings: RunSettings = {},
): Promise<ScanOutcome> {
  const url = getWorkerUrl();
  if (options.rules || !url) return scanHere(options, task, onProgress);
  // With the cache, looked up here before any thread starts: a hit of an unchanged tree reads no source file.
  let early: CacheLookedUp | undefined;
  try {
    early = await lookUpCache(options, task);
  } catch (error) {
    throw deserializeError(serializeError(error));
  }
  if (early?.kind === 'hit') return early.outcome;
  useScanCompilerSettings();
  const jobs = settings.jobs ?? getDefaultJobs();
  const data: WorkerScanOptions = {
    ...(options.paths ? { paths: options.paths } : {}),
    ...(options.root ? { root: options.root } : {}),
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.cache ? { cache: options.cache } : {}),
    // The extraction threads read every file: the files the lookup found unchanged are told only to a reading thread.
    ...(early ? { cacheChecked: jobs > 1 ? withoutUnchanged(early.checked) : early.checked } : {}),
  };
  const channel = new MessageChannel();
  const signal = new SharedArrayBuffer(16);
  const counter = new Int32Array(signal);
  // With the cache, the extraction threads parse only the files whose summary the cache does not have for their text,
  // so an unchanged tree is read and hashed (the whole output's cache then answers) with nothing parsed.
  const pool = jobs > 1 ? startExtractionPool(getWorkerUrl('extract-worker') as URL, jobs, { preload: !data.cache }) : undefined;
  const outcome = new Promise<ScanOutcome>((resolve, reject) => {
    const input: WorkerInput = { options: data, task, ...(pool ? { pool: pool.feed } : { feed: { port: channel.port2, signal } }) };
    // Anything the analysis prints goes to stderr, so that a JSON or SARIF report on stdout stays valid.
    const worker = new Worker(url, {
      workerData: input,
      transferList: pool ? pool.transfer : [channel.port2],
      resourceLimits: { stackSizeMb: SCAN_STACK_MB, maxYoungGenerationSizeMb: SCAN_YOUNG_GENERATION_MB },
      stdout: true,
    });
    worker.stdout.pipe(process.stderr);
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'result') {
        settled = true;
        resolve(message.outcome);
      } else {
        settled = true;
        reject(deserializeError(message.error));
      }
    });
    worker.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new Error(`the scan thread stopped unexpectedly (exit code ${code})`));
    });
  });
  if (pool) {
    // While the scan thread loads TypeScript and the rules, this thread discovers the files and the extraction threads
    // read and parse them, each its share; the scan thread takes them in discovery order.
    pool.discover(data, early?.kind === 'miss' ? early.discovered : undefined);
  } else {
    // While the scan thread loads TypeScript and the rules, a reading thread discovers and reads the files and hands
    // them on in discovery order; the scan thread parses them as they arrive.
    const readerInput: ReaderInput = {
      options: data,
      port: channel.port1,
      signal,
      ...(early?.kind === 'miss' && early.discovered ? { discovered: early.discovered, ...(early.checked.unchanged ? { unchanged: early.checked.unchanged } : {}) } : {}),
    };
    const reader = new Worker(getWorkerUrl('read-worker') as URL, { workerData: readerInput, transferList: [channel.port1] });
    // Never keeps the process alive: a scan that failed early (a glob matching nothing) exits at once.
    reader.unref();
    reader.on('error', () => undefined); // the scan thread reads what did not arrive
    reader.on('exit', () => markEnded(counter));
  }
  try {
    return await outcome;
  } finally {
    cancelSending(counter);
    pool?.stop();
  }
}
