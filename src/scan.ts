import { ALL_RULES } from '../rules/index.js';
import { resolveRules, type AuthlintConfig } from './core/config.js';
import { discoverFiles, IncludeMatchesNothingError, PathNotFoundError, type DiscoverResult } from './core/discover.js';
import { getReportedFiles, getScanRoot, planFiles, type FedFile, type FileFeed, type UnchangedFiles, type UnreadFile } from './core/file-plan.js';
import { finalizeFindings, runFileRules, runProjectRules, selectFileRules, type ActiveRule } from './core/engine.js';
import { computeFileIndex } from './core/file-index.js';
import { parseSource, type ParseResult } from './core/parse.js';
import { AnalysisProject, DISK_TEXT_SOURCE, type KnownFileData, type SourceFileInfo } from './core/project.js';
import { readSourceFile, type FileStamp } from './core/read.js';
import { describeScanForCache, hashText, lookupByStamps, resultFromCache, RecordingTextSource, writeCache, type CacheKey, type ScanCacheEntry } from './core/scan-cache.js';
import { countLines, summarizeText, type StoredFacts } from './core/file-summary.js';
import { recordReads } from './core/reads.js';
import { getRunFile, isSameScan, loadRuns, mergeAnswers, RunRecorder, writeRuns, type RunStore } from './core/run-cache.js';
import { collectSummaries, completeSummary, decodeStoredFacts, getSummaryFile, getSummaryKey, loadSummaries, writeSummaries, type StoredSummary, type SummaryKey } from './core/summary-cache.js';
import type { AnyRule } from './core/rule.js';
import type { Finding, Notification } from './core/types.js';
import { PORTABLE_FACTS, STORED_TEXT_FACTS } from './facts/portable.js';
import { getUnjudgedRoutesNotification } from './facts/routes/judged.js';

/** The rules whose silence about a route means "protected": routes they cannot judge are counted in a notification. */
const ROUTE_RULES = new Set(['route-require-authentication', 'route-no-unprotected-internal', 'route-require-authorization']);
/** Bracket nesting (file-index.ts) beyond which a file is parsed as soon as it is read. */
const EAGER_PARSE_DEPTH = 200;

export interface ScanProgress {
  phase: 'discover' | 'analyze' | 'project';
  done: number;
  total: number;
  file?: string;
}

export interface ScanOptions {
  /** Files or folders to scan; default the root. */
  paths?: string[];
  /**
   * The scan root: reported paths are relative to it. Default: the single folder given, else the working directory, or
   * the deepest folder the paths share when one of them lies outside it.
   */
  root?: string;
  /** A configuration file; when absent one is searched for from the root upwards. */
  configFile?: string;
  /** A configuration object used instead of any file. */
  config?: AuthlintConfig;
  /**
   * Globs (relative to each given folder) of the files whose findings are reported, added to the config's. The
   * project model is still built from every source file, so facts that cross files (a guard declared in a file
   * outside these globs) stay known. A glob given here that matches no file is an error.
   */
  include?: string[];
  exclude?: string[];
  /** Rules to run instead of authlint's own (tests). */
  rules?: readonly AnyRule[];
  onProgress?: (progress: ScanProgress) => void;
  /** Load and parse the files but run no rule (`authlint routes`); the configuration is still validated. */
  skipRules?: boolean;
  /**
   * Called with the loaded project at the end, for reports built from facts (the route inventory), and which files are
   * reported. Not called when the output comes from the cache: use `collect` for what must be cached too.
   */
  onProject?: (project: AnalysisProject, isReportedFile: (relPath: string) => boolean) => void;
  /** Plain data (JSON) computed from the project after the rules, returned as `collected` and cached with the findings. */
  collect?: (project: AnalysisProject, isReportedFile: (relPath: string) => boolean) => unknown;
  /**
   * Reuses the output of an earlier scan whose every input is unchanged, and records this one, in the folder
   * `location` (see src/core/scan-cache.ts). `purpose` names what `collect` computes, so that callers computing
   * different things never share a cache file (without it, the code of `collect` is part of the key).
   */
  cache?: { location: string; purpose?: string };
  /**
   * The cache was looked up already for this scan (`lookupScanEarly`) and missed, with this notification; `unchanged`
   * are the files it found unchanged by their stamps (a feed hands them on unread, see `UnreadFile`).
   */
  cacheChecked?: { notification?: Notification; unchanged?: UnchangedFiles };
  /** Files discovered and read ahead by another thread with the same selection (the CLI does this). */
  feed?: FileFeed;
  /**
   * Not for users: false parses every file and lets every rule and fact consider every file (no candidate selection),
   * so tests can check that the selection changes no result.
   * @internal
   */
  selectFiles?: boolean;
}

export interface ScanResult {
  root: string;
  findings: Finding[];
  notifications: Notification[];
  /** Ids, levels and options of the rules that ran. */
  rules: Array<{ id: string; level: ActiveRule['level'] }>;
  filesScanned: number;
  linesScanned: number;
  configFile?: string;
  /** False when a rule failed or a file could not be analysed. */
  successful: boolean;
  durationMs: number;
  /** What `collect` returned. */
  collected?: unknown;
  /** True when the output was taken from the cache. */
  cached?: boolean;
}

export { IncludeMatchesNothingError, PathNotFoundError, getScanRoot };

/** Scans a repository: discover, parse, facts, rules, findings. Never executes the scanned code. */
export function scan(options: ScanOptions = {}): ScanResult {
  const started = performance.now();
  const planned = planFiles(options);
  const { root, loaded, discover: where, maxFileSize } = planned;
  const config = loaded.config;
  const configured = resolveRules(config, options.rules ?? ALL_RULES, loaded.file);
  const active = options.skipRules ? [] : configured;
  const notifications: Notification[] = [];
  const cacheNotes: Notification[] = [];

  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const discovered = options.feed?.discovered() ?? discoverFiles(where);
  const feed = options.feed?.discovered() ? options.feed : undefined;
  const reported = getReportedFiles(where, config.include ?? [], options.include ?? []);
  notifications.push(...discovered.notifications.filter((n) => isReported(reported, n.file)));

  let cache: (ScanCacheEntry & { source: RecordingTextSource; summaries: { file: string; key: SummaryKey } }) | undefined;
  let lastRuns: RunStore | undefined;
  let preread: FedFile[] | undefined;
  /** The stored summaries of the files left unread, by discovery ordinal. */
  const unreadSummaries = new Map<number, StoredSummary>();
  if (options.cache) {
    const rules: CacheKey['rules'] = options.rules
      ? active.map((a) => ({ id: a.rule.id, level: a.level, options: a.options ?? null, code: hashText(String(a.rule.create)) }))
      : 'authlint';
    const request = { ...options.cache, collect: options.collect, skipRules: options.skipRules === true, selectFiles: options.selectFiles !== false, include: options.include ?? [], rules };
    // The files the cache knows unchanged by their stamps are not read: when nothing changed, nothing is read or parsed.
    const lookup = options.cacheChecked ? { kind: 'miss' as const, ...options.cacheChecked } : lookupByStamps(request, planned, discovered, reported);
    if (lookup.kind === 'hit') {
      return { root, ...resultFromCache(lookup.output, loaded.file), durationMs: performance.now() - started };
    }
    const checked = 'checked' in lookup ? lookup.checked : lookup;
    if (checked.notification) cacheNotes.push(checked.notification);
    // A miss: each file whose text is unchanged takes what the last scan knew of it (its syntax errors, portable facts).
    const summaries = { file: getSummaryFile(options.cache.location, planned), key: getSummaryKey(PORTABLE_FACTS.map((f) => f.name)) };
    const stored = loadSummaries(summaries.file, summaries.key);
    if (stored.notification) cacheNotes.push(stored.notification);
    // The files the lookup found unchanged by their stamps stay unread when their stored summary holds all the scan needs
    // without the text; every other file is read and hashed.
    preread = discovered.files.map((file, index) => {
      const fed = feed?.read(index) ?? unreadFile(checked.unchanged?.[index]);
      if (fed?.unread) {
        const kept = stored.summaries.get(file.relPath);
        if (kept && isEnoughUnread(kept, fed.hash, isReported(reported, file.relPath))) {
          unreadSummaries.set(index, kept);
          return fed;
        }
      }
      const outcome = withTextSummary(fed && !fed.unread ? fed : readSourceFile(file.path, file.relPath, maxFileSize));
      return outcome.summary ? { ...outcome, summary: completeSummary(outcome.summary, stored.summaries.get(file.relPath)) } : outcome;
    });
    const entry = describeScanForCache(request, planned, discovered, preread, reported);
    cache = { ...entry, source: new RecordingTextSource(DISK_TEXT_SOURCE), summaries };
    // The outputs of the last scan's entry points, reused below for those whose reads the changed files leave alone.
    const runs = loadRuns(getRunFile(entry.file));
    if (runs.notification) cacheNotes.push(runs.notification);
    if (runs.store && isSameScan(runs.store, entry)) lastRuns = runs.store;
  }

  const project = new AnalysisProject(root, config.project ?? {}, cache?.source ?? DISK_TEXT_SOURCE, {
    ...(options.selectFiles === false ? { select: false } : {}),
    // With the cache, every entry point records what it read, so that the next scan after an edit can reuse its output.
    ...(cache ? { record: true } : {}),
    // No single pass (ProjectOptions.portable) here: a tree dropped after its portable facts is parsed again when a rule
    // reads the file (3,907 of ever-gauzy's files), which cost 2.6 CPU s (+18 %) to save 105 MB (docs/performance.md).
  });
  let lines = 0;
  /** Each file's line count, for the summary cache. */
  const lineCounts = new Map<string, number>();
  discovered.files.forEach((file, ordinal) => {
    const outcome: FedFile = preread?.[ordinal] ?? feed?.read(ordinal) ?? readSourceFile(file.path, file.relPath, maxFileSize);
    if (outcome.unread) {
      // Read only if the analysis asks for its text, tree or index; what the report needs of it is stored.
      const kept = unreadSummaries.get(ordinal) as StoredSummary;
      project.addFile(file.path, () => readUnchanged(file, outcome.hash, maxFileSize), {
        ...(kept.importSpecifiers ? { importSpecifiers: kept.importSpecifiers } : {}),
        ...(kept.parse ? { parseSummary: kept.parse } : {}),
        ...(kept.textFacts ? { facts: kept.textFacts } : {}),
        ...(kept.facts ? { lazyFacts: () => decodeStoredFacts(kept.facts as StoredFacts) } : {}),
      });
      if (kept.lines !== undefined) {
        lineCounts.set(file.relPath, kept.lines);
        if (isReported(reported, file.relPath)) lines += kept.lines;
      }
      return;
    }
    if (outcome.notification) notifications.push(outcome.notification);
    if (outcome.text === undefined) return;
    const { summary } = outcome;
    // An extraction thread's summary carries what the text says (and the syntax errors when it parsed the file).
    const index = summary?.index ?? computeFileIndex(outcome.text);
    const known: KnownFileData = summary
      ? {
          index,
          ...(summary.importSpecifiers ? { importSpecifiers: summary.importSpecifiers } : {}),
          ...(summary.parse ? { parseSummary: summary.parse } : {}),
          ...(summary.facts || summary.textFacts ? { facts: { ...summary.textFacts, ...summary.facts } } : {}),
          ...(summary.storedFacts ? { lazyFacts: () => decodeStoredFacts(summary.storedFacts as StoredFacts) } : {}),
        }
      : { index };
    // A deeply nested file may overflow the parser's stack: parse it now, where a failure leaves it out of the project,
    // rather than later, deep inside a fact. Other files are parsed when a rule or fact first asks for their tree.
    if (!summary?.parse && index.depth > EAGER_PARSE_DEPTH) {
      let parsed: ParseResult;
      try {
        parsed = parseSource(file.path, outcome.text);
      } catch (error) {
        notifications.push({
          kind: 'parse-error',
          level: 'error',
          file: file.relPath,
          message:
            error instanceof RangeError
              ? `Could not parse ${file.relPath}: nesting too deep for this stack.`
              : `Could not parse ${file.relPath}: ${(error as Error).message}`,
        });
        return;
      }
      known.parsed = parsed;
    } else if (outcome.parseHere && !summary?.parse) {
      // The extraction left it unparsed because a rule reads its tree anyway: parsed now, while the other threads still
      // extract, rather than when a fact first asks (a parse that throws is left to that moment, as before).
      try {
        known.parsed = parseSource(file.path, outcome.text);
      } catch {
        // parsed again when first asked
      }
    }
    project.addFile(file.path, outcome.text, known);
    const fileLines = countLines(outcome.text, index.lineStarts);
    lineCounts.set(file.relPath, fileLines);
    if (isReported(reported, file.relPath)) lines += fileLines;
  });

  const findings: Finding[] = [];
  const files = project.files();
  const rulesFor = selectFileRules(project, active);
  // With the cache: each entry point's output and what it read, for the next scan; the last scan's that still hold.
  const runs = cache ? new RunRecorder(lastRuns, project, files, cache.inputs) : undefined;
  files.forEach((file, index) => {
    options.onProgress?.({ phase: 'analyze', done: index, total: files.length, file: file.relPath });
    if (!isReported(reported, file.relPath)) return;
    const result = runs
      ? runs.run(`file:${file.relPath}`, (frame) => runFileRules(project, file, recordReads(frame, () => rulesFor(file)), frame))
      : runFileRules(project, file, rulesFor(file));
    findings.push(...result.findings);
    notifications.push(...result.notifications);
  });
  options.onProgress?.({ phase: 'project', done: files.length, total: files.length });
  if (runs) {
    // One entry point per project rule: an edit that changes what one rule read runs that rule alone again.
    for (const rule of active) {
      if (rule.rule.meta.scope !== 'project') continue;
      const result = runs.run(`project:${rule.rule.id}`, (frame) => runProjectRules(project, [rule], { frame }));
      findings.push(...result.findings);
      notifications.push(...result.notifications);
    }
  } else {
    const projectResult = runProjectRules(project, active);
    findings.push(...projectResult.findings);
    notifications.push(...projectResult.notifications);
  }
  // After the rules: the files they parsed know their syntax errors; the others are parsed for them now, one at a time.
  for (const file of files) {
    if (!isReported(reported, file.relPath)) continue;
    const notification = getSyntaxErrorNotification(file);
    if (notification) notifications.push(notification);
  }

  const final = finalizeFindings(project, findings, active);
  notifications.push(...final.notifications);
  if (active.some((a) => ROUTE_RULES.has(a.rule.id))) {
    const unjudge = (): Notification | null => getUnjudgedRoutesNotification(project, (file) => isReported(reported, file)) ?? null;
    const unjudged = runs ? runs.run('unjudged', (frame) => recordReads(frame, unjudge)) : unjudge();
    if (unjudged) notifications.push(unjudged);
  }
  if (reported) {
    final.findings = final.findings.filter((f) => reported.has(f.file));
    notifications.splice(0, notifications.length, ...notifications.filter((n) => isReported(reported, n.file)));
  }
  options.onProject?.(project, (file) => isReported(reported, file));
  const collect = options.collect && ((): unknown => options.collect?.(project, (file) => isReported(reported, file)));
  const collected = collect && (runs ? runs.run('collect', (frame) => recordReads(frame, collect)) : collect());
  if (files.length === 0) {
    notifications.push({ kind: 'no-files', level: 'note', message: 'No JavaScript or TypeScript files found to scan.' });
  }
  const filesScanned = reported ? files.filter((f) => reported.has(f.relPath)).length : files.length;
  const successful = !notifications.some((n) => n.kind === 'rule-error' || n.kind === 'unreadable' || (n.kind === 'parse-error' && n.level === 'error'));
  sortNotifications(notifications);
  // A scan that failed somewhere is not stored: the failure may not happen again (a stack overflow, an unreadable file).
  if (cache && successful) {
    const output = { rules: active.map((a) => ({ id: a.rule.id, level: a.level })), findings: final.findings, notifications, filesScanned, linesScanned: lines, ...(collected !== undefined ? { collected } : {}) };
    const hashes = new Map(
      discovered.files.flatMap((file, index) => {
        const outcome = preread?.[index];
        const hash = outcome?.unread ? outcome.hash : outcome?.summary?.hash;
        return hash === undefined ? [] : [[file.relPath, hash] as const];
      }),
    );
    // The same folder: when the output cannot be written, the summaries are not tried (one note is enough).
    // The TextSource answers of the reused outputs were not asked again: the last scan's (found the same) stand for them.
    const answers = mergeAnswers(cache.source.answers(), runs?.reusedAny ? lastRuns : undefined);
    const note =
      writeCache(cache.file, cache.key, cache.inputs, answers, output, preread?.map((outcome) => outcome.stamp ?? null)) ??
      writeSummaries(cache.summaries.file, cache.summaries.key, collectSummaries(project, hashes, PORTABLE_FACTS, { stored: storedFactsOf(discovered, preread, unreadSummaries), lines: lineCounts, textFacts: STORED_TEXT_FACTS })) ??
      (runs ? writeRuns(getRunFile(cache.file), runs.collect({ key: cache.key, inputs: cache.inputs, answers })) : undefined);
    if (note) cacheNotes.push(note);
  }
  return {
    root,
    findings: final.findings,
    notifications: cacheNotes.length > 0 ? sortNotifications([...notifications, ...cacheNotes]) : notifications,
    rules: active.map((a) => ({ id: a.rule.id, level: a.level })),
    filesScanned,
    linesScanned: lines,
    ...(loaded.file ? { configFile: loaded.file } : {}),
    successful,
    durationMs: performance.now() - started,
    ...(collected !== undefined ? { collected } : {}),
    ...(cache ? { cached: false } : {}),
  };
}

/**
 * The parse-error notification of a file with syntax errors. Reads `file.parseSummary`: whoever already knows a file's
 * syntax errors (a worker pool, a cache) hands them over by setting `parseSummary` before this runs, and the file is
 * then not parsed for them; otherwise the summary comes from the tree when a rule or fact parsed it, else from a parse
 * whose tree is dropped at once.
 */
function getSyntaxErrorNotification(file: SourceFileInfo): Notification | undefined {
  const { count, first } = file.parseSummary;
  if (!first) return undefined;
  return {
    kind: 'parse-error',
    level: 'warning',
    file: file.relPath,
    start: first.start,
    end: first.start + first.length,
    message: `${file.relPath} has syntax errors (${count}; first: ${first.message}); analysed as far as the parser recovered.`,
  };
}

/** A read file with its hash and text index (computed here when no other thread did), for the cache. */
function withTextSummary(outcome: FedFile): FedFile {
  return outcome.text === undefined || outcome.summary ? outcome : { ...outcome, summary: summarizeText(outcome.text) };
}

function isReported(reported: ReadonlySet<string> | undefined, file: string | undefined): boolean {
  return reported === undefined || file === undefined || reported.has(file);
}

function sortNotifications(list: Notification[]): Notification[] {
  return list.sort((a, b) => {
    const fa = a.file ?? '';
    const fb = b.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    if ((a.start ?? 0) !== (b.start ?? 0)) return (a.start ?? 0) - (b.start ?? 0);
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** The stored portable facts each file was read (or left unread) with (`FileSummary.storedFacts`), by relative path. */
function storedFactsOf(discovered: DiscoverResult, preread: readonly FedFile[] | undefined, unread: ReadonlyMap<number, StoredSummary>): Map<string, StoredFacts> {
  const stored = new Map<string, StoredFacts>();
  discovered.files.forEach((file, index) => {
    const facts = preread?.[index]?.summary?.storedFacts ?? unread.get(index)?.facts;
    if (facts) stored.set(file.relPath, facts);
  });
  return stored;
}

function unreadFile(same: { hash: string; stamp: FileStamp } | null | undefined): UnreadFile | undefined {
  return same ? { unread: true, hash: same.hash, stamp: same.stamp } : undefined;
}

/**
 * Whether a file can be left unread with this stored summary: stored for the same text, with its import specifiers
 * (the import graph), and for a reported file its syntax errors and line count (the report).
 */
function isEnoughUnread(kept: StoredSummary, hash: string, reported: boolean): boolean {
  return kept.hash === hash && kept.importSpecifiers !== undefined && (!reported || (kept.parse !== undefined && kept.lines !== undefined));
}

/**
 * The text of a file left unread, when the analysis asks for it. It must still be the text the cache knew: a file
 * changed since the lookup (while this scan ran) fails the rule that asked, and a failed scan is not stored.
 */
function readUnchanged(file: { path: string; relPath: string }, hash: string, maxFileSize: number): string {
  const outcome = readSourceFile(file.path, file.relPath, maxFileSize);
  if (outcome.text === undefined || hashText(outcome.text) !== hash) throw new Error(`${file.relPath} changed while it was being scanned; scan again.`);
  return outcome.text;
}
