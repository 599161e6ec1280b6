import { ts } from '@ts-morph/common';
import path from 'node:path';
import { computeFileIndex, type FileIndex } from './file-index.js';
import { scanImportSpecifiers } from './import-specifiers.js';
import { isTestPath, parseSource, SOURCE_EXTENSIONS, summarizeDiagnostics, type ParseResult, type ParseSummary } from './parse.js';
import { DISK_TEXT_SOURCE, type TextSource } from './text-source.js';
import { checkFrame, type FrameAnswer, isRecording, isSameData, mentionsText, type PassOver, queriedWords, reaches, readsOfFile, type ReadCheck, ReadFrame, recordCheck, recordedChecks, recordFact, recordFile, recordFrame, recordImportGraph, recordReads, recordWords, getReadCheck, registerReadCheck, registerReadCheckMaker, withoutRecording } from './reads.js';
import type { ProjectSettings } from './types.js';

export { DISK_TEXT_SOURCE, type TextSource };

export interface SourceFileInfo {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root, POSIX separators. */
  relPath: string;
  text: string;
  /** The tree, parsed on first access and kept from then on (see AnalysisProject.stats). */
  sourceFile: ts.SourceFile;
  isTestFile: boolean;
  /** The tree's syntax errors (parses the file when not parsed yet). */
  parseDiagnostics: readonly ts.DiagnosticWithLocation[];
  /**
   * The syntax errors as plain data: handed over when known (set it), taken from the tree when parsed, else computed by
   * a parse whose tree is dropped at once (the tree is parsed again if a rule or fact asks for it later).
   */
  parseSummary: ParseSummary;
  /** Whether `parseSummary` is known without another parse. */
  readonly hasParseSummary: boolean;
  /** What the text says without a parse (computed on first access); see file-index.ts. */
  readonly index: FileIndex;
  /** Whether the tree has been parsed (and is kept). */
  readonly isParsed: boolean;
  /** Offsets of the line starts, as the compiler computes them (from the text when the tree is not parsed). */
  readonly lineStarts: readonly number[];
  /** The module specifiers of the file's imports, re-exports, requires and dynamic imports, read without a parse (computed on first access). */
  readonly importSpecifiers: readonly string[];
  /** A file of the repository loaded on demand (a neighbour the scan reached), not one of the scanned files. */
  readonly onDemand: boolean;
  /**
   * The answer of the text test `name` (`defineTextTest`) that an earlier scan stored for this same text, if the
   * project was given one (`seedTextTests`): a rescan answers it without reading the text.
   */
  knownTextTest?(name: string): boolean | undefined;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * Every module specifier a file's text may import from, read without building a tree: import and export
 * declarations, `import x = require()`, `require()` (also `require?.()`) and `import()` calls anywhere, with a string
 * or template literal. A superset of the specifiers the import facts read from the tree (a string after one of these
 * words in a comment or a string counts too). A pattern over the text; TypeScript's pre-processing scanner when a
 * comment sits between the keyword and the string or the string has an escape.
 */
export function computeImportSpecifiers(text: string): string[] {
  const { specifiers, exact } = scanImportSpecifiers(text);
  if (!exact) return specifiers;
  const found = new Set(specifiers);
  for (const file of ts.preProcessFile(text, true, true).importedFiles) found.add(file.fileName);
  return [...found];
}

/** The line starts of a text exactly as TypeScript's scanner computes them (LF, CR, CRLF, U+2028, U+2029 end a line). */
export function computeLineStarts(text: string): number[] {
  const starts: number[] = [];
  let lineStart = 0;
  for (let pos = 0; pos < text.length; ) {
    const ch = text.charCodeAt(pos++);
    if (ch === 13 && text.charCodeAt(pos) === 10) pos++;
    if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) {
      starts.push(lineStart);
      lineStart = pos;
    }
  }
  starts.push(lineStart);
  return starts;
}

/** The 0-based line of an offset (what `sourceFile.getLineAndCharacterOfPosition(offset).line` gives, without a parse). */
export function getLineOfPosition(file: SourceFileInfo, offset: number): number {
  const starts = file.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Counters of the work a project did, for tests and the benchmark. */
/** How `AnalysisProject.inheritFrom` may take over the project it inherits from. */
export interface InheritOptions {
  /**
   * The earlier project is not used again (the editor's snapshot of an older text of the file being typed): when the
   * same files are replaced again (typing), its tables of units and file facts are taken over and pruned instead of
   * copied. Using it afterwards throws.
   */
  consume?: boolean;
}

export interface ProjectStats {
  /** Trees parsed and kept (scanned files and neighbours loaded on demand). */
  parsed: number;
  /** Files parsed only for their syntax errors, their tree dropped at once. */
  parsedForDiagnostics: number;
  /**
   * Files parsed only for their portable file facts (and syntax errors), their tree dropped at once: a file no
   * extraction thread summarised, whose tree nothing had kept (see `ProjectOptions.portable`).
   */
  parsedForSummaries: number;
  /**
   * Units computed (see `unit`), and answers (project facts, file facts, units) taken over from an earlier project;
   * `walked`: answers whose closure read an edited path or word, so their frames were checked one by one; `recomputed`:
   * plain project facts computed again while inheriting, to see whether their value changed (early cutoff).
   */
  units?: number;
  inherited?: { projectFacts: number; fileFacts: number; units: number; dropped: number; walked: number; recomputed: number; repeated: number };
  /**
   * Texts of files added unread (`addFile` with a loader: the scan cache knew them unchanged) that something read
   * after all.
   */
  loaded?: number;
  /**
   * With the scan cache after an edit (run-cache.ts): the entry points whose stored output was reused, those run again
   * (`file:<relPath>`, `project:<rule>`, `unjudged`, `collect`), and the plain facts and units taken from the store.
   */
  runs?: { reused: number; ran: string[]; facts: number; units: number };
}

export interface ProjectOptions {
  /**
   * False: every file is a candidate of every selection (`filesMentioning` gives all files, every rule runs on every
   * file) and every scanned file is parsed as soon as it is added. Not documented to users: it exists so tests can
   * check that the selection changes no result.
   */
  select?: boolean;
  /**
   * The portable file facts (`src/facts/portable.ts`). When one of them is asked of a file whose tree is not kept, it is
   * computed on a project of that file alone (as an extraction thread does); if that parses the file, every portable
   * fact of the file and its syntax errors are computed from that one tree, which is then dropped. Without the list a
   * portable fact is computed like any other (from the kept tree).
   */
  portable?: readonly FileFact<unknown>[];
  /**
   * Record what each memoised answer reads (reads.ts), so that a project built after some files changed can take over
   * the answers that read none of them (`inheritFrom`). The editor's snapshots record; the CLI does not.
   */
  record?: boolean;
}

/** What is known of a file's text before it is added: each part computed elsewhere from the same text. */
export interface KnownFileData {
  parsed?: ParseResult;
  index?: FileIndex;
  parseSummary?: ParseSummary;
  importSpecifiers?: readonly string[];
  /** Values of portable file facts (`FileFact.portable`) by fact name, computed elsewhere from the same text. */
  facts?: Readonly<Record<string, unknown>>;
  /**
   * More such values, decoded when a file fact of the file is first asked for (the scan cache's, kept serialized: a
   * rescan after an edit asks for few files' facts). Values in `facts` or computed first are not replaced.
   */
  lazyFacts?: () => Readonly<Record<string, unknown>>;
}

/** A file's entry: the tree and its diagnostics are computed when first asked for. */
class FileEntry implements SourceFileInfo {
  private tree: ts.SourceFile | undefined;
  private diagnostics: readonly ts.DiagnosticWithLocation[] | undefined;
  private summary: ParseSummary | undefined;
  private indexed: FileIndex | undefined;
  private starts: number[] | undefined;
  private specifiers: readonly string[] | undefined;

  constructor(
    readonly path: string,
    readonly relPath: string,
    /** The text, or what reads it when first asked (a file the scan cache knew unchanged, added unread). */
    private content: string | (() => string),
    readonly isTestFile: boolean,
    private readonly stats: ProjectStats,
    /** Loaded on demand (not a scanned file): no later project is told when it changes, so an answer reading it is not reused. */
    readonly onDemand: boolean,
    private readonly storedTests?: (file: SourceFileInfo, name: string) => boolean | undefined,
  ) {}

  knownTextTest(name: string): boolean | undefined {
    return this.storedTests?.(this, name);
  }

  get text(): string {
    recordFile(this.path, this.onDemand);
    return this.loaded();
  }

  /** Whether the text is in memory (false for a file added unread that nothing has read yet). */
  get isLoaded(): boolean {
    return typeof this.content === 'string';
  }

  private loaded(): string {
    if (typeof this.content === 'string') return this.content;
    this.content = this.content();
    this.stats.loaded = (this.stats.loaded ?? 0) + 1;
    return this.content;
  }

  /** Replaces the text of a file not parsed yet (the editor hands its own parse over with `adopt`). */
  set text(text: string) {
    this.content = text;
    this.indexed = undefined;
    this.starts = undefined;
    this.specifiers = undefined;
  }

  get isParsed(): boolean {
    return this.tree !== undefined;
  }

  get sourceFile(): ts.SourceFile {
    recordFile(this.path, this.onDemand);
    if (this.tree === undefined) this.adopt(parseSource(this.path, this.text));
    return this.tree as ts.SourceFile;
  }

  set sourceFile(tree: ts.SourceFile) {
    this.tree = tree;
  }

  get parseDiagnostics(): readonly ts.DiagnosticWithLocation[] {
    recordFile(this.path, this.onDemand);
    if (this.diagnostics === undefined) this.adopt(parseSource(this.path, this.text));
    return this.diagnostics as readonly ts.DiagnosticWithLocation[];
  }

  set parseDiagnostics(diagnostics: readonly ts.DiagnosticWithLocation[]) {
    this.diagnostics = diagnostics;
    this.summary = undefined;
  }

  get hasParseSummary(): boolean {
    return this.summary !== undefined || this.diagnostics !== undefined;
  }

  get parseSummary(): ParseSummary {
    recordFile(this.path, this.onDemand);
    if (this.summary !== undefined) return this.summary;
    if (this.diagnostics !== undefined) return (this.summary = summarizeDiagnostics(this.diagnostics));
    const { diagnostics } = parseSource(this.path, this.text, { link: false });
    this.stats.parsedForDiagnostics++;
    return (this.summary = summarizeDiagnostics(diagnostics));
  }

  set parseSummary(summary: ParseSummary) {
    this.summary = summary;
  }

  get index(): FileIndex {
    recordFile(this.path, this.onDemand);
    this.indexed ??= computeFileIndex(this.text);
    return this.indexed;
  }

  get importSpecifiers(): readonly string[] {
    recordFile(this.path, this.onDemand);
    this.specifiers ??= computeImportSpecifiers(this.loaded());
    return this.specifiers;
  }

  setImportSpecifiers(specifiers: readonly string[]): void {
    this.specifiers = specifiers;
  }

  get lineStarts(): readonly number[] {
    recordFile(this.path, this.onDemand);
    if (this.tree) return this.tree.getLineStarts();
    this.starts ??= computeLineStarts(this.loaded());
    return this.starts;
  }

  setIndex(index: FileIndex): void {
    this.indexed = index;
  }

  /** Takes a parse (done now, eagerly, or by the editor) as this file's tree. */
  adopt(parsed: ParseResult): void {
    this.tree = parsed.sourceFile;
    this.diagnostics = parsed.diagnostics;
    this.stats.parsed++;
  }
}


export interface FileFact<T> {
  readonly name: string;
  /**
   * The value depends on nothing but the file's own text (not on other files, settings or project facts), so a
   * project that shares the file with another (the editor's snapshots) may take it over: see `inheritFrom`.
   */
  readonly local?: boolean;
  /**
   * A local fact whose value is plain data (what structured clone copies: primitives, arrays, plain objects, Map, Set;
   * never a tree node or a function). Such a fact can be computed by an extraction thread from its own parse of the
   * file and handed to the scan with the file (`KnownFileData.facts`), so the scan thread needs no tree for it. List it
   * in `src/facts/portable.ts`.
   */
  readonly portable?: boolean;
  compute(file: SourceFileInfo, project: AnalysisProject): T;
}

export interface ProjectFact<T> {
  readonly name: string;
  /** The value is plain data (no tree node, no file object, nothing that reads a file later): see `inheritFrom`. */
  readonly plain?: boolean;
  compute(project: AnalysisProject): T;
}

/** Every file fact by name; null when two facts share a name (see getFileFactByName). */
const fileFactsByName = new Map<string, FileFact<unknown> | null>();

export function defineFileFact<T>(
  name: string,
  compute: (file: SourceFileInfo, project: AnalysisProject) => T,
  options: { local?: boolean; portable?: boolean } = {},
): FileFact<T> {
  const fact: FileFact<T> = options.portable ? { name, compute, local: true, portable: true } : options.local ? { name, compute, local: true } : { name, compute };
  fileFactsByName.set(name, fileFactsByName.has(name) ? null : (fact as FileFact<unknown>));
  return fact;
}

/**
 * The file fact defined under `name`, if exactly one is: the scan cache names the facts a stored answer read, and a
 * later scan computes them again by name (run-cache.ts). A name two facts share is never taken for either.
 */
export function getFileFactByName(name: string): FileFact<unknown> | undefined {
  return fileFactsByName.get(name) ?? undefined;
}

/**
 * Carries a memo kept outside the project (by a fact module) over to a project that shares files with `from`:
 * `replaced` maps each file of `from` that `to` has in another version to that version (or to undefined when `to`
 * lacks it). Registered with `AnalysisProject.registerInheritance`.
 */
export type FactInheritance = (from: AnalysisProject, to: AnalysisProject, replaced: ReadonlyMap<SourceFileInfo, SourceFileInfo | undefined>) => void;

const inheritances: FactInheritance[] = [];

/** Numbers the inheritances (see ReadFrame.keptPlain): 0 is none. */
let inheritanceCount = 0;

/** Questions `reaches` answers for every frame: whether it read something no later project can check, or the import graph. */
const UNREUSABLE = { question: 'unreusable' };
const IMPORT_GRAPH = { question: 'import-graph' };
const isUnreusable = (frame: ReadFrame): boolean => frame.onDemand || frame.opaque;
const readsImportGraph = (frame: ReadFrame): boolean => frame.importGraph;

/**
 * A plain answer handed over still encoded (the scan cache's, see `installPlainAnswers`): decoded when first asked for,
 * and otherwise handed back as it came (`getPlainAnswers`), so that a rescan pays for the answers its runs use.
 */
export class DeferredAnswer {
  /** `origin` says where the value is kept, for whoever handed it over. */
  constructor(
    readonly origin: unknown,
    private readonly decodeWith: () => unknown,
  ) {}

  decode(): unknown {
    return this.decodeWith();
  }
}

export function defineProjectFact<T>(name: string, compute: (project: AnalysisProject) => T, options: { plain?: boolean } = {}): ProjectFact<T> {
  return options.plain ? { name, compute, plain: true } : { name, compute };
}

/**
 * A yes/no question about one file's own text (whether it imports a Nest package), asked of many files by a
 * computation that reads only the files that answer yes. While reads are recorded (reads.ts) the answer counts as a
 * read of the question, not of the file: a changed file voids what was computed only if its answer changes.
 */
export function defineTextTest(name: string, test: (file: SourceFileInfo) => boolean): (file: SourceFileInfo) => boolean {
  // Answers by file version: a fact asks of every file on each computation, and the editor's snapshots share the
  // versions of every file but the edited one, so a keystroke tests that file alone instead of every text again.
  const answers = new WeakMap<SourceFileInfo, boolean>();
  const answer = (file: SourceFileInfo): boolean => {
    let known = answers.get(file);
    if (known === undefined) answers.set(file, (known = file.knownTextTest?.(name) ?? test(file)));
    return known;
  };
  const check: ReadCheck = { name, unchanged: (before: SourceFileInfo, after: SourceFileInfo) => answer(before) === answer(after), signature: (file: SourceFileInfo) => answer(file), asked: (file: SourceFileInfo) => answers.has(file) };
  registerReadCheck(check);
  return (file) => {
    if (!isRecording()) return answer(file);
    recordCheck(check);
    return withoutRecording(() => answer(file));
  };
}

const includesTests = new Map<string, (file: SourceFileInfo) => boolean>();

/** Whether a file's text contains `needle` (a name found at run time), recorded as `defineTextTest` records. */
export function textIncludes(file: SourceFileInfo, needle: string): boolean {
  return getIncludesTest(needle)(file);
}

function getIncludesTest(needle: string): (file: SourceFileInfo) => boolean {
  let test = includesTests.get(needle);
  if (!test) {
    test = defineTextTest(`includes:${needle}`, (f) => f.text.includes(needle));
    includesTests.set(needle, test);
  }
  return test;
}

// A later scan compares a stored `includes:` answer before any fact has asked that needle (run-cache.ts).
registerReadCheckMaker('includes:', (needle) => {
  getIncludesTest(needle);
  return getReadCheck(`includes:${needle}`) as ReadCheck;
});

/** The key of `resolvedBare` for folders that no tsconfig governs. */
const NO_OPTIONS: ModuleResolution = { paths: [], pathsBase: '', rootDirs: [] };

/** The module-resolution options of one tsconfig.json (its `extends` chain merged), as absolute paths. */
interface ModuleResolution {
  baseUrl?: string;
  /** `paths` patterns, resolved against `pathsBase` (the baseUrl, or the folder of the config that declares them). */
  paths: Array<{ pattern: string; targets: string[] }>;
  pathsBase: string;
  rootDirs: string[];
}

interface CompilerOptionsJson {
  baseUrl?: unknown;
  paths?: unknown;
  rootDirs?: unknown;
}

const TSCONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
const MAX_EXTENDS_DEPTH = 8;

const MAX_LAZY_FILE_BYTES = 2 * 1024 * 1024;

/** A portable fact reads no other file: a project of one file loads no neighbour. */
export const NO_NEIGHBOURS: TextSource = { read: () => undefined, exists: () => false };

/**
 * The scanned files plus lazily loaded neighbours (a constant imported from a config module),
 * and a memo of the facts computed over them. Facts are computed on first request.
 */
export class AnalysisProject {
  readonly root: string;
  readonly settings: ProjectSettings;
  private readonly textSource: TextSource;
  private readonly byPath = new Map<string, SourceFileInfo | null>();
  private readonly scanned: SourceFileInfo[] = [];
  /** The scanned files as a set (they are held by `scanned` anyway: a Set answers faster than a WeakSet). */
  private readonly scannedSet = new Set<SourceFileInfo>();
  private readonly fileFacts = new Map<string, WeakMap<SourceFileInfo, unknown>>();
  private readonly projectFacts = new Map<string, unknown>();
  private readonly computing = new Set<string>();
  /** The tsconfig that governs each folder (null: none up to the scan root), and each parsed config. */
  private readonly resolutionByDir = new Map<string, ModuleResolution | null>();
  private readonly resolutionByConfig = new Map<string, ModuleResolution | null>();
  private packageJsonCache: Record<string, unknown> | null | undefined;
  /** The root package-lock.json, read and parsed once (a lockfile can be megabytes; rules ask per call). */
  private lockCache: Record<string, unknown> | null | undefined;
  /**
   * Import resolutions by candidate base path: the path of the file found (null: not a repository file); new tables when
   * a file is added. The answers depend only on which paths exist and on the tsconfig options, and name paths rather
   * than file versions (each project looks the path up among its own files), so projects over the same paths share
   * these tables (see `inheritFrom`) instead of copying them on every editor snapshot.
   */
  private resolvedBases = new Map<string, string | null>();
  private revisionCounter = 0;
  /** Import resolutions by importing folder and specifier, as paths (null: not a repository file); shared like `resolvedBases`. */
  private resolvedImports = new Map<string, string | null>();
  /**
   * The same answers by importing file version, so that a repeated question builds no key (facts ask per name, per
   * call); shared like `resolvedBases` (a replaced file is a new version, with answers of its own).
   */
  private resolvedByFile = new WeakMap<SourceFileInfo, Map<string, string | null>>();
  /** Whether the three tables above hold answers (a file added then needs new tables). */
  private resolvedAny = false;
  /** Resolutions of package-style specifiers by the options that govern the importing folder; reset when a file is added. */
  private readonly resolvedBare = new Map<ModuleResolution, Map<string, SourceFileInfo | null>>();
  private workspacePackages: Map<string, string> | undefined;
  /** Names of the local file facts memoised so far (see FileFact.local). */
  private readonly localFactNames = new Set<string>();
  private readonly options: ProjectOptions;
  /** Scanned files by word of their index (ordinals into `scanned`), built on first use after a file is added. */
  private postings: Postings | undefined;
  private readonly mentioning = new Map<string, readonly SourceFileInfo[]>();
  /** The same answers as sets, for `mentions` while the postings are not built. */
  private readonly mentioningSets = new Map<string, ReadonlySet<SourceFileInfo>>();
  /**
   * Answers of word queries known without the postings (`seedWordAnswers`): the scan cache's answers of the last scan,
   * with the files that changed since to be asked again.
   */
  private seededWords: { answers: ReadonlyMap<string, Int32Array>; changed: readonly SourceFileInfo[] } | undefined;
  /** Answers of text tests known without the texts (`seedTextTests`), read by name when first asked. */
  private seededTests: { stored: (name: string) => ReadonlyMap<number, boolean> | undefined; changed: ReadonlySet<SourceFileInfo>; byName: Map<string, ReadonlyMap<number, boolean> | null> } | undefined;
  private ordinals: Map<SourceFileInfo, number> | undefined;
  /** Scanned importers by the repository file their specifiers resolve to, built on first use after a file is added. */
  private importGraph: { importers: Map<SourceFileInfo, SourceFileInfo[]>; ofUnscanned: SourceFileInfo[] } | undefined;
  readonly stats: ProjectStats = { parsed: 0, parsedForDiagnostics: 0, parsedForSummaries: 0 };
  /** What each memoised answer read (see reads.ts), when it was computed while reads were recorded. */
  private readonly projectFrames = new Map<string, ReadFrame>();
  private readonly fileFactFrames = new Map<string, WeakMap<SourceFileInfo, ReadFrame>>();
  /** The files each fact of `fileFactFrames` has a frame for, in the order stored: inheritance visits these, not every file per fact. */
  private readonly fileFactFiles = new Map<string, SourceFileInfo[]>();
  private readonly factsByName = new Map<string, FileFact<unknown>>();
  /** Files added with `KnownFileData.lazyFacts` not decoded yet. */
  private readonly undecodedFacts = new Map<SourceFileInfo, () => Readonly<Record<string, unknown>>>();
  /** Units by kind, then key (two levels: a key is looked up as the caller made it, often the same string each time). */
  private readonly units = new Map<string, Map<string, { value: unknown; frame: ReadFrame | undefined }>>();
  /** Names of the project facts computed so far whose values are plain data (ProjectFact.plain). */
  private readonly plainFacts = new Set<string>();
  /** The plain project facts computed so far, by name: `inheritAnswers` computes one again for its early cutoff. */
  private readonly factDefinitions = new Map<string, ProjectFact<unknown>>();
  /**
   * What `inheritAnswers` decided here, for the next snapshot when it replaces the same files again (typing): the
   * edited paths, the portable facts it compared of them, and the frames of the answers it took over before any early
   * cutoff. See `inheritAnswers`.
   */
  private lastInheritance: { paths: string; compared: Array<[FileFact<unknown>, string, 'same' | 'moved' | 'different']>; number: number } | undefined;

  /** Registers how a fact module's own memo is carried over by `inheritFrom`. */
  static registerInheritance(inherit: FactInheritance): void {
    inheritances.push(inherit);
  }

  constructor(root: string, settings: ProjectSettings = {}, textSource: TextSource = DISK_TEXT_SOURCE, options: ProjectOptions = {}) {
    this.root = path.resolve(root);
    this.settings = settings;
    this.textSource = textSource;
    this.options = options;
  }

  /** Whether `info` is one of this project's scanned files (in this version): a set lookup, no path. */
  isScanned(info: SourceFileInfo): boolean {
    return this.scannedSet.has(info);
  }

  /** Whether selections narrow the files (false only when the project was made with `select: false`). */
  get selects(): boolean {
    return this.options.select !== false;
  }

  /**
   * Adds a file that is part of the scan (its findings are reported). Its tree is parsed when first asked for (unless
   * the project does not select); `known` hands over what was computed elsewhere from the same text: a parse (the
   * editor's), the index, the syntax errors (a worker thread, a cache). `text` may be a function that reads the text
   * when something first asks for it (the text, the tree, the index): the scan cache adds the files it knows unchanged
   * that way, so that a rescan after an edit reads only the files its analysis asks about.
   */
  addFile(absPath: string, text: string | (() => string), known: KnownFileData = {}): SourceFileInfo {
    const info = this.createInfo(absPath, text);
    if (known.index) info.setIndex(known.index);
    if (known.parseSummary) info.parseSummary = known.parseSummary;
    if (known.importSpecifiers) info.setImportSpecifiers(known.importSpecifiers);
    if (known.parsed) info.adopt(known.parsed);
    else if (!this.selects) void info.sourceFile;
    if (known.facts) for (const [name, value] of Object.entries(known.facts)) this.seedFileFact(name, info, value);
    if (known.lazyFacts) this.undecodedFacts.set(info, known.lazyFacts);
    this.byPath.set(info.path, info);
    this.scanned.push(info);
    this.scannedSet.add(info);
    this.fileAdded();
    return info;
  }

  private fileAdded(): void {
    this.workspacePackages = undefined;
    // Cleared only when not empty: clearing a map makes it a new table, and a project gets thousands of files in a row
    // (each editor snapshot too) before anything is asked.
    if (this.resolvedAny) {
      // New tables rather than cleared ones: another project may share them (see `inheritFrom`).
      this.resolvedBases = new Map();
      this.resolvedImports = new Map();
      this.resolvedByFile = new WeakMap();
      this.resolvedAny = false;
    }
    if (this.resolvedBare.size > 0) this.resolvedBare.clear();
    if (this.mentioning.size > 0) this.mentioning.clear();
    if (this.mentioningSets.size > 0) this.mentioningSets.clear();
    this.seededWords = undefined;
    this.seededTests = undefined;
    this.postings = undefined;
    this.ordinals = undefined;
    this.importGraph = undefined;
    this.revisionCounter++;
  }

  /**
   * The scanned files (in `files()` order) whose text mentions at least one of `words` as a word of its index (see
   * file-index.ts: identifiers, property names, string and comment contents). A fact that can only act on files
   * containing one of some names asks for these instead of every file. Every file when the project does not select.
   */
  filesMentioning(words: readonly string[]): readonly SourceFileInfo[] {
    if (!this.selects) return this.scanned;
    const key = words.join('\u0000');
    recordWords(key);
    const known = this.mentioning.get(key) ?? this.seededMentioning(key, words);
    if (known) return known;
    const postings = this.getPostings();
    const ordinals = new Set<number>();
    for (const word of words) for (const ordinal of postings.get(word) ?? []) ordinals.add(ordinal);
    const found = [...ordinals].sort((a, b) => a - b).map((ordinal) => this.scanned[ordinal] as SourceFileInfo);
    this.mentioning.set(key, found);
    return found;
  }

  /** Whether a file's text mentions one of `words` (see `filesMentioning`); always true when the project does not select. */
  mentions(file: SourceFileInfo, words: readonly string[]): boolean {
    if (!this.selects) return true;
    const ordinal = this.getOrdinals().get(file);
    if (ordinal === undefined) return words.some((word) => file.index.words.includes(word));
    const key = words.join('\u0000');
    recordWords(key);
    if (!this.postings && this.seededWords?.answers.has(key)) {
      let set = this.mentioningSets.get(key);
      if (!set) this.mentioningSets.set(key, (set = new Set(this.seededMentioning(key, words))));
      return set.has(file);
    }
    const postings = this.getPostings();
    return words.some((word) => {
      const list = postings.get(word);
      if (!list) return false;
      let low = 0;
      let high = list.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        const at = list[middle] as number;
        if (at === ordinal) return true;
        if (at < ordinal) low = middle + 1;
        else high = middle - 1;
      }
      return false;
    });
  }

  /**
   * Takes the answers of word queries known already (by query: the ordinals of the files mentioning one of its words),
   * true of every scanned file but those in `changed`, which are asked again from their own index: a query with a
   * known answer then reads no other file's text. Call it after every file is added. The scan cache gives the last
   * scan's answers this way, so that a rescan after an edit need not index every file.
   */
  seedWordAnswers(answers: ReadonlyMap<string, Int32Array>, changed: readonly SourceFileInfo[]): void {
    this.seededWords = { answers, changed };
  }

  /** The answer of a seeded word query (see `seedWordAnswers`), memoised; undefined when none is seeded for `key`. */
  private seededMentioning(key: string, words: readonly string[]): readonly SourceFileInfo[] | undefined {
    const seeded = this.seededWords;
    const ordinals = seeded?.answers.get(key);
    if (!seeded || !ordinals) return undefined;
    const found = new Set<SourceFileInfo>();
    for (const ordinal of ordinals) {
      const file = this.scanned[ordinal];
      if (file) found.add(file);
    }
    for (const file of seeded.changed) {
      if (this.indexMentions(file, words)) found.add(file);
      else found.delete(file);
    }
    const ordinalsNow = this.getOrdinals();
    const list = [...found].sort((a, b) => (ordinalsNow.get(a) as number) - (ordinalsNow.get(b) as number));
    this.mentioning.set(key, list);
    return list;
  }

  /**
   * Takes the answers of text tests (`defineTextTest`) known already for the scanned files in their present versions
   * but those in `changed`: `stored(name)` gives a test's answers by the file's ordinal in `files()`. A file then answers
   * such a test without its text being read (`SourceFileInfo.knownTextTest`). Call it after every file is added; the scan
   * cache gives the last scan's answers this way.
   */
  seedTextTests(stored: (name: string) => ReadonlyMap<number, boolean> | undefined, changed: ReadonlySet<SourceFileInfo>): void {
    this.seededTests = { stored, changed, byName: new Map() };
  }

  private readonly storedTextTest = (file: SourceFileInfo, name: string): boolean | undefined => {
    const seeded = this.seededTests;
    if (!seeded || seeded.changed.has(file)) return undefined;
    // Only a test whose name is its own (two tests of one name would mix their answers).
    if (getReadCheck(name) === undefined) return undefined;
    let answers = seeded.byName.get(name);
    if (answers === undefined) seeded.byName.set(name, (answers = seeded.stored(name) ?? null));
    const ordinal = answers && this.getOrdinals().get(file);
    return ordinal === undefined || ordinal === null ? undefined : answers?.get(ordinal);
  };

  /** The word queries answered so far (`filesMentioning`), for the scan cache to store with their answers. */
  answeredWordQueries(): IterableIterator<string> {
    return this.mentioning.keys();
  }

  /**
   * `mentions` from the file's own index, without the project's postings (which index every file): for the scan cache,
   * which asks it only of the files that changed. Records nothing: the word query that asks it is recorded as such
   * (a read of the whole file here would void every answer that asked the query whenever that file changes again).
   */
  indexMentions(file: SourceFileInfo, words: readonly string[]): boolean {
    if (!this.selects) return true;
    const own = withoutRecording(() => file.index.words);
    return words.some((word) => own.includes(word));
  }

  private getOrdinals(): Map<SourceFileInfo, number> {
    if (!this.ordinals) {
      this.ordinals = new Map();
      this.scanned.forEach((file, ordinal) => this.ordinals?.set(file, ordinal));
    }
    return this.ordinals;
  }

  /**
   * The scanned files (in `files()` order) with an import, re-export, require or dynamic import whose specifier (read
   * without a parse, see `importSpecifiers`) resolves to `target`, a scanned file or a repository file loaded on demand.
   */
  importersOf(target: SourceFileInfo): readonly SourceFileInfo[] {
    recordImportGraph();
    return this.getImportGraph().importers.get(target) ?? [];
  }

  /** The scanned files that import a repository file outside the scan (a neighbour loaded on demand). */
  filesImportingUnscanned(): readonly SourceFileInfo[] {
    recordImportGraph();
    return this.getImportGraph().ofUnscanned;
  }

  private getImportGraph(): NonNullable<AnalysisProject['importGraph']> {
    if (this.importGraph) return this.importGraph;
    // Built once for every question about importers; each question is recorded as a read of the graph (see reads.ts).
    if (isRecording()) return withoutRecording(() => this.getImportGraph());
    const importers = new Map<SourceFileInfo, SourceFileInfo[]>();
    const ofUnscanned: SourceFileInfo[] = [];
    for (const file of this.scanned) {
      let unscanned = false;
      for (const specifier of file.importSpecifiers) {
        const target = this.resolveImport(file, specifier);
        if (!target) continue;
        const list = importers.get(target);
        if (!list) importers.set(target, [file]);
        else if (list[list.length - 1] !== file) list.push(file);
        if (!this.scannedSet.has(target)) unscanned = true;
      }
      if (unscanned) ofUnscanned.push(file);
    }
    this.importGraph = { importers, ofUnscanned };
    return this.importGraph;
  }

  /** `mentions` for a set of words that may grow while files are visited (names found in earlier files). */
  mentionsAnyOf(file: SourceFileInfo, words: ReadonlySet<string>): boolean {
    if (!this.selects) return true;
    for (const word of file.index.words) if (words.has(word)) return true;
    return false;
  }

  private getPostings(): Postings {
    if (this.postings) return this.postings;
    // Built once for every word question; each question is recorded as a read of its words (see reads.ts).
    if (isRecording()) return withoutRecording(() => this.getPostings());
    const postings = new Map<string, number[]>();
    this.scanned.forEach((file, ordinal) => {
      for (const word of file.index.words) {
        const list = postings.get(word);
        if (list) list.push(ordinal);
        else postings.set(word, [ordinal]);
      }
    });
    this.postings = postings;
    return postings;
  }

  /**
   * Adds a scanned file that another project over the same root already read and parsed: the editor's snapshots of
   * one project share every file they have in the same version, so per-file memos can be carried over between them.
   */
  addSharedFile(info: SourceFileInfo): SourceFileInfo {
    if (!this.isOwnPath(info)) throw new Error(`${info.path} belongs to a project with another root`);
    this.byPath.set(info.path, info);
    this.scanned.push(info);
    this.scannedSet.add(info);
    this.fileAdded();
    return info;
  }

  /**
   * `addSharedFile` for each of `infos` in order, as one addition: an editor snapshot adds thousands of shared files
   * before anything is asked, and the tables a file added resets are reset once.
   */
  addSharedFiles(infos: readonly SourceFileInfo[]): void {
    for (const info of infos) if (!this.isOwnPath(info)) throw new Error(`${info.path} belongs to a project with another root`);
    for (const info of infos) {
      this.byPath.set(info.path, info);
      this.scanned.push(info);
      this.scannedSet.add(info);
    }
    if (infos.length > 0) this.fileAdded();
  }

  /**
   * Takes over from `previous` (a project over the same root, the same settings and the same list of scanned files,
   * sharing every file but those in `replaced`) what depends only on the layout of the files and on each shared
   * file's own text: the memos of local file facts of shared files, import resolutions, tsconfig options, and the
   * memos registered by fact modules. Call it after every file is added. Everything else is recomputed on demand.
   * Takes over nothing (and says so) when the two projects do not scan the same paths: a resolution that failed in
   * one may find a file the other has.
   */
  inheritFrom(previous: AnalysisProject, replaced: ReadonlyMap<SourceFileInfo, SourceFileInfo | undefined>, options: InheritOptions = {}): boolean {
    if (previous.scanned.length !== this.scanned.length || previous.root !== this.root) return false;
    for (const info of previous.scanned) {
      const own = replaced.has(info) ? replaced.get(info) : info;
      if (!own || own.path !== info.path || this.byPath.get(own.path) !== own) return false;
    }
    // The same paths scanned: the import resolutions (paths, looked up in each project's own files) hold in both.
    if (!this.resolvedAny) {
      this.resolvedBases = previous.resolvedBases;
      this.resolvedImports = previous.resolvedImports;
      this.resolvedByFile = previous.resolvedByFile;
      this.resolvedAny = previous.resolvedAny;
    } else {
      previous.resolvedBases.forEach((found, base) => {
        if (!this.resolvedBases.has(base)) this.resolvedBases.set(base, found);
      });
      previous.resolvedImports.forEach((found, key) => {
        if (!this.resolvedImports.has(key)) this.resolvedImports.set(key, found);
      });
    }
    previous.resolutionByDir.forEach((options, dir) => {
      if (!this.resolutionByDir.has(dir)) this.resolutionByDir.set(dir, options);
    });
    previous.resolutionByConfig.forEach((options, config) => {
      if (!this.resolutionByConfig.has(config)) this.resolutionByConfig.set(config, options);
    });
    for (const name of previous.localFactNames) {
      const from = previous.fileFacts.get(name);
      if (!from) continue;
      this.localFactNames.add(name);
      const to = this.fileFacts.get(name);
      if (!to) {
        // A local fact's value depends on its file's version alone (one SourceFileInfo per version), so the memo is
        // valid in every project over the same root: shared, not copied file by file.
        this.fileFacts.set(name, from);
        continue;
      }
      for (const info of this.scanned) if (!to.has(info) && from.has(info) && !replaced.has(info)) to.set(info, from.get(info));
    }
    this.inheritIndexes(previous, replaced);
    previous.memoParent = undefined;
    for (const inherit of inheritances) inherit(previous, this, replaced);
    if (previous.records && this.records) this.inheritAnswers(previous, replaced, options.consume === true);
    return true;
  }

  /**
   * Whether the last `inheritFrom` took over the tables of units and file facts of the project it inherited from
   * (`InheritOptions.consume`), which must then not be used again.
   */
  get consumed(): boolean {
    return this.tookTables;
  }

  private tookTables = false;
  /** Set when a later project took this one's tables over (see `consumed`): any further use is a bug, and throws. */
  private tookFrom = false;

  private assertUsable(): void {
    if (this.tookFrom) throw new Error('This project was taken over by a later one (inheritFrom with consume) and cannot be used');
  }

  /**
   * The project facts, non-local file facts and units of `previous` whose reads (recorded there) the replaced files
   * leave as they were: no replaced file read whole, the same word answers, imports and text-test answers, and the
   * portable facts read of replaced files equal. An answer that may hold objects of a replaced file's old version (a
   * resolved name whose node is read later) needs those facts exactly equal; a plain-data answer (units, project facts
   * defined `plain`) holds none, so for it the facts may differ in the spans of their node refs (an edit inside a class
   * moves its end) as long as the answer names none of the files whose spans moved. See reads.ts.
   */
  private inheritAnswers(previous: AnalysisProject, replaced: ReadonlyMap<SourceFileInfo, SourceFileInfo | undefined>, consume: boolean): void {
    const changed = new Map<string, { before: SourceFileInfo; after: SourceFileInfo }>();
    for (const [before, after] of replaced) if (after) changed.set(before.path, { before, after });
    const sameWords = new Map<string, boolean>();
    const sameChecks = new Map<ReadCheck, boolean>();
    let sameImports: boolean | undefined;
    // Paths rather than frames are walked: a frame reads hundreds of files, an edit changes one or a few.
    const changedPaths = [...changed.keys()];
    const changedList = [...changed.values()];
    // By fact, then by the edited file's path: asked for thousands of answers per edit, without building a key each time.
    const factAnswers = new Map<FileFact<unknown>, Map<string, 'same' | 'moved' | 'different'>>();
    const compareFact = (fact: FileFact<unknown>, change: { before: SourceFileInfo; after: SourceFileInfo }): 'same' | 'moved' | 'different' => {
      let byPath = factAnswers.get(fact);
      if (!byPath) factAnswers.set(fact, (byPath = new Map()));
      let answer = byPath.get(change.before.path);
      if (answer === undefined) {
        const before = previous.fileFact(fact, change.before);
        const after = this.fileFact(fact, change.after);
        if (fact.portable) answer = isSameData(before, after) ? 'same' : isSameData(before, after, { ignoreSpans: true }) ? 'moved' : 'different';
        // Another local fact may hold nodes of its file's tree, which differ between versions; a yes/no, a count or a
        // name holds none and compares as it is.
        else answer = isPrimitive(before) && Object.is(before, after) ? 'same' : 'different';
        byPath.set(change.before.path, answer);
      }
      return answer;
    };
    /** Files whose portable facts moved (compared leniently): a plain answer naming one of them is not taken over. */
    const moved = new Set<string>();
    const check = (frame: ReadFrame, plain: boolean): FrameAnswer => {
      let own: FrameAnswer = 'same';
      if (frame.onDemand) return 'changed';
      for (const filePath of changedPaths) if (frame.files.has(filePath)) return 'changed';
      for (const [fact, paths] of frame.facts) {
        for (const filePath of changedPaths) {
          if (!paths.has(filePath)) continue;
          const change = changed.get(filePath) as { before: SourceFileInfo; after: SourceFileInfo };
          // Frames record the fact objects themselves (fileFact passes them).
          const answer = compareFact(fact as FileFact<unknown>, change);
          if (answer === 'different' || (answer === 'moved' && !plain)) return 'changed';
          if (answer === 'moved') {
            moved.add(change.before.relPath);
            own = 'moved';
          }
        }
      }
      for (const words of frame.words) {
        let same = sameWords.get(words);
        if (same === undefined) {
          const list = words.split('\u0000');
          same = [...changed.values()].every((c) => previous.mentions(c.before, list) === this.mentions(c.after, list));
          sameWords.set(words, same);
        }
        if (!same) return 'changed';
      }
      for (const readCheck of frame.checks) if (!sameCheck(readCheck)) return 'changed';
      if (frame.importGraph) {
        sameImports ??= [...changed.values()].every((c) => sameStrings(c.before.importSpecifiers, c.after.importSpecifiers));
        if (!sameImports) return 'changed';
      }
      return own;
    };
    const strictKnown = new Map<ReadFrame, FrameAnswer>();
    const plainKnown = new Map<ReadFrame, FrameAnswer>();
    const counts = { projectFacts: 0, fileFacts: 0, units: 0, dropped: 0, walked: 0, recomputed: 0, repeated: 0 };
    // The words an edit added to or removed from a file that some word query named: only those may change an answer.
    const flipped: string[] = [];
    for (const { before, after } of changed.values()) {
      const old = new Set(before.index.words);
      const now = new Set(after.index.words);
      for (const word of old) if (!now.has(word) && queriedWords.has(word)) flipped.push(word);
      for (const word of now) if (!old.has(word) && queriedWords.has(word)) flipped.push(word);
    }
    const sameCheck = (readCheck: ReadCheck): boolean => {
      let same = sameChecks.get(readCheck);
      if (same === undefined) {
        const unchanged = readCheck.unchanged.bind(readCheck) as (before: SourceFileInfo, after: SourceFileInfo, from: AnalysisProject, to: AnalysisProject) => boolean;
        same = [...changed.values()].every((c) => unchanged(c.before, c.after, previous, this));
        sameChecks.set(readCheck, same);
      }
      return same;
    };
    const changedChecks = [...recordedChecks].filter((readCheck) => !sameCheck(readCheck));
    sameImports = [...changed.values()].every((c) => sameStrings(c.before.importSpecifiers, c.after.importSpecifiers));
    /**
     * The same files edited again (typing), with no word, text test or import changed, and every portable fact that the
     * last inheritance compared of them comparing as it did then (or equal now): an answer `previous` took over before
     * its early cutoff is taken over again as it is. Its verdict was decided by what its frames read of these paths
     * (never a whole read), by how the facts it reads of them compared (all were compared then, and compare the same way
     * or better now), and, for a plain answer reading spans that moved, by whether its value (the same) names the file.
     * Frames are kept apart by the kind of answer that was taken over: a moved span keeps a plain answer and drops
     * another with the same frame. It read none of the facts `previous` computed again (such answers waited for the
     * cutoff and are not in the sets), so it reads none of those computed again here either.
     */
    const paths = changedList.length === replaced.size ? [...changedPaths].sort().join('\u0000') : undefined;
    const last = previous.lastInheritance;
    let repeat = last !== undefined && paths !== undefined && last.paths === paths && flipped.length === 0 && changedChecks.length === 0 && sameImports;
    if (repeat && last) {
      for (const [fact, filePath, then] of last.compared) {
        const now = compareFact(fact, changed.get(filePath) as { before: SourceFileInfo; after: SourceFileInfo });
        if (now !== then && now !== 'same') {
          repeat = false;
          break;
        }
      }
    }
    // The frames of the answers taken over here before the cutoff are marked with this inheritance's number, by kind of
    // answer (a mark on the frame rather than a set: no table of thousands of entries per edit). A frame marked by the
    // last inheritance was taken over by it (a later one that took it over again would have marked it with its own).
    const before = repeat && last ? last.number : 0;
    const number = ++inheritanceCount;
    const keep = (frame: ReadFrame, plain: boolean): void => {
      if (plain) frame.keptPlain = number;
      else frame.keptStrict = number;
    };
    const keptAgain = (frame: ReadFrame | undefined, plain: boolean): frame is ReadFrame => {
      if (!frame || before === 0 || (plain ? frame.keptPlain : frame.keptStrict) !== before) return false;
      keep(frame, plain);
      counts.repeated++;
      return true;
    };
    /**
     * What the frame reaches (see reaches in reads.ts): dropped when it read a file loaded on demand, a changed check or
     * a changed import graph; kept when it read of the edited files only facts the edit left equal, and no word the edit
     * added or removed; else undefined (its frames are then compared one by one).
     */
    /** The facts an early cutoff found equal (below), once there are some: their frames are not looked into. */
    let passOver: PassOver | undefined;
    const quick = (frame: ReadFrame, value: unknown, plain: boolean): boolean | undefined => {
      // A whole read of an edited file first: the walk for it stops at the first frame that has one, and most answers
      // judged while typing (those computed since the last keystroke) read the file being typed whole.
      for (const change of changedList) if (readsOfFile(frame, change.before.path, passOver).whole) return false;
      if (reaches(frame, UNREUSABLE, isUnreusable)) return false;
      for (const readCheck of changedChecks) if (reaches(frame, readCheck, (f) => f.checks.has(readCheck))) return false;
      if (!sameImports && reaches(frame, IMPORT_GRAPH, readsImportGraph)) return false;
      // What the frame and those it took in read of each edited file decides, as a walk of them would: a whole read or
      // a fact whose value changed voids the answer; a fact whose spans alone moved voids an answer that may hold nodes,
      // and a plain answer that names the file.
      let movedFiles: string[] | undefined;
      for (const change of changedList) {
        const reads = readsOfFile(frame, change.before.path, passOver);
        if (reads.whole) return false;
        for (const fact of reads.facts) {
          const answer = compareFact(fact as FileFact<unknown>, change);
          if (answer === 'different' || (answer === 'moved' && !plain)) return false;
          if (answer === 'moved') (movedFiles ??= []).push(change.before.relPath);
        }
      }
      // A word the edit added or removed may leave a query over several words with the same answer: compared in a walk.
      for (const word of flipped) if (reaches(frame, `word\u0000${word}`, (f) => [...f.words].some((key) => key.split('\u0000').includes(word)))) return undefined;
      return movedFiles === undefined || !movedFiles.some((file) => mentionsText(value, file));
    };
    /** Plain project facts computed again to an equal value (early cutoff, below). */
    const cutFacts = new Set<string>();
    const wasCut = (frame: ReadFrame): boolean => frame.factName !== undefined && cutFacts.has(frame.factName);
    const valid = (frame: ReadFrame | undefined, value: unknown, plain: boolean): frame is ReadFrame => {
      // After an early cutoff the facts found equal are passed over (`passOver`), in the quick answers and in a walk.
      const known = frame === undefined ? false : quick(frame, value, plain);
      let kept: boolean;
      if (known !== undefined || frame === undefined) kept = known === true;
      else if (!plain) {
        counts.walked++;
        kept = checkFrame(frame, (f) => check(f, false), strictKnown, wasCut) === 'same';
      } else {
        counts.walked++;
        const answer = checkFrame(frame, (f) => check(f, true), plainKnown, wasCut);
        kept = answer === 'same' || (answer === 'moved' && ![...moved].some((file) => mentionsText(value, file)));
      }
      if (!kept) counts.dropped++;
      return kept;
    };
    /** An answer of `previous` to take over: installed when its reads are unchanged. */
    interface Candidate {
      frame: ReadFrame | undefined;
      value: unknown;
      plain: boolean;
      install(): void;
    }
    /**
     * Plain project facts whose reads the edit changed, in the order they were computed: each is computed again below,
     * and what read one waits until then (early cutoff).
     */
    const invalidPlain: string[] = [];
    const deferred: Candidate[] = [];
    const factQuestions = new Map<string, string>();
    const readsFact = (frame: ReadFrame, name: string): boolean => {
      let question = factQuestions.get(name);
      if (question === undefined) factQuestions.set(name, (question = `fact\u0000${name}`));
      return reaches(frame, question, (f) => f.factName === name);
    };
    /**
     * Whether the frame reads one of the facts in `invalidPlain`: one question for all of them, asked of every answer
     * (the list stops growing after the project facts, and an edit of the same file makes the same list).
     */
    let invalidQuestion: { size: number; key: string; own: (frame: ReadFrame) => boolean } | undefined;
    const readsInvalidPlain = (frame: ReadFrame): boolean => {
      if (invalidPlain.length === 0) return false;
      if (invalidQuestion?.size !== invalidPlain.length) {
        const names = new Set(invalidPlain);
        invalidQuestion = { size: invalidPlain.length, key: `facts\u0000${invalidPlain.join('\u0000')}`, own: (f) => f.factName !== undefined && names.has(f.factName) };
      }
      return reaches(frame, invalidQuestion.key, invalidQuestion.own);
    };
    const offer = (candidate: Candidate, factName?: string): void => {
      const frame = candidate.frame;
      if (keptAgain(frame, candidate.plain)) candidate.install();
      else if (frame && readsInvalidPlain(frame)) deferred.push(candidate);
      else if (valid(frame, candidate.value, candidate.plain)) {
        candidate.install();
        keep(frame, candidate.plain);
      } else if (factName && candidate.plain) invalidPlain.push(factName);
    };
    for (const [name, value] of previous.projectFacts) {
      if (this.projectFacts.has(name)) continue;
      const frame = previous.projectFrames.get(name);
      const plain = previous.plainFacts.has(name);
      offer(
        {
          frame,
          value,
          plain,
          install: () => {
            if (this.projectFacts.has(name)) return;
            this.projectFacts.set(name, value);
            if (frame) this.projectFrames.set(name, frame);
            if (plain) this.plainFacts.add(name);
            const definition = previous.factDefinitions.get(name);
            if (definition) this.factDefinitions.set(name, definition);
            counts.projectFacts++;
          },
        },
        name,
      );
    }
    // Typing (the same files replaced again) keeps nearly every answer: with `consume`, the tables of units and file
    // facts are taken over as they are and the answers not kept are deleted from them, instead of copying thousands of
    // entries into new tables on every keystroke.
    const take = consume && before !== 0;
    this.tookTables = take;
    for (const [kind, byKey] of previous.units) {
      if (take && !this.units.has(kind)) {
        this.units.set(kind, byKey);
        byKey.forEach((unit, key) => {
          const frame = unit.frame;
          if (keptAgain(frame, true)) {
            counts.units++;
            return;
          }
          // Deleting the entry being visited is allowed (setting it again would visit it again: a kept one stays); a
          // deferred one is installed again after the cutoff.
          if (frame && readsInvalidPlain(frame)) {
            byKey.delete(key);
            deferred.push({
              frame,
              value: unit.value,
              plain: true,
              install: () => {
                if (byKey.has(key)) return;
                byKey.set(key, unit);
                counts.units++;
              },
            });
          } else if (valid(frame, unit.value, true)) {
            keep(frame, true);
            counts.units++;
          } else byKey.delete(key);
        });
        continue;
      }
      let own = this.units.get(kind);
      if (!own) this.units.set(kind, (own = new Map()));
      const table = own;
      // forEach: iterating entries would make an array per entry (thousands per keystroke).
      byKey.forEach((unit, key) => {
        if (table.has(key)) return;
        const frame = unit.frame;
        if (keptAgain(frame, true)) {
          table.set(key, unit);
          counts.units++;
        } else if (frame && readsInvalidPlain(frame)) {
          // Most units are kept at once: a candidate is made only for one that waits for a cutoff.
          const install = (): void => {
            if (table.has(key)) return;
            table.set(key, unit);
            counts.units++;
          };
          deferred.push({ frame, value: unit.value, plain: true, install });
        } else if (valid(frame, unit.value, true)) {
          table.set(key, unit);
          keep(frame, true);
          counts.units++;
        }
      });
    }
    for (const [name, frames] of previous.fileFactFrames) {
      const from = previous.fileFacts.get(name);
      const fact = previous.factsByName.get(name);
      if (!from || !fact) continue;
      if (take && !this.fileFacts.has(name) && !this.fileFactFrames.has(name)) {
        this.takeFileFact(name, fact, from, frames, previous.fileFactFiles.get(name) ?? [], (info, frame) => {
          if (keptAgain(frame, false)) {
            counts.fileFacts++;
            return true;
          }
          if (frame && readsInvalidPlain(frame)) {
            const memo = from;
            const value = from.get(info);
            deferred.push({
              frame,
              value: undefined,
              plain: false,
              install: () => {
                if (memo.has(info)) return;
                memo.set(info, value);
                this.setFileFactFrame(name, info, frame);
                counts.fileFacts++;
              },
            });
            return false;
          }
          if (frame && valid(frame, undefined, false)) {
            keep(frame, false);
            counts.fileFacts++;
            return true;
          }
          return false;
        });
        continue;
      }
      let to = this.fileFacts.get(name);
      if (!to) this.fileFacts.set(name, (to = new WeakMap()));
      this.factsByName.set(name, fact);
      const memo = to;
      // The files the fact has an answer with a frame for, still scanned here in the same version (a replaced file's
      // old version is not; a neighbour loaded on demand never was).
      for (const info of previous.fileFactFiles.get(name) ?? []) {
        if (!this.scannedSet.has(info) || to.has(info) || !from.has(info)) continue;
        const frame = frames.get(info);
        if (keptAgain(frame, false)) {
          to.set(info, from.get(info));
          this.setFileFactFrame(name, info, frame);
          counts.fileFacts++;
        } else if (frame && readsInvalidPlain(frame)) {
          // Most file facts are kept at once: a candidate is made only for one that waits for a cutoff.
          const install = (): void => {
            if (memo.has(info)) return;
            memo.set(info, from.get(info));
            this.setFileFactFrame(name, info, frame);
            counts.fileFacts++;
          };
          deferred.push({ frame, value: undefined, plain: false, install });
        } else if (frame && valid(frame, undefined, false)) {
          to.set(info, from.get(info));
          this.setFileFactFrame(name, info, frame);
          keep(frame, false);
          counts.fileFacts++;
        }
      }
    }
    // Early cutoff: a plain project fact whose reads changed is computed again here, and when its value is the same,
    // what read it is judged again as if it had not changed (most edits leave the project-wide tables as they were).
    for (const [index, name] of invalidPlain.entries()) {
      const fact = previous.factDefinitions.get(name);
      if (fact && !this.computing.has(name) && deferred.some((c) => c.frame !== undefined && readsFact(c.frame, name))) {
        counts.recomputed++;
        let value: unknown;
        let failed = false;
        try {
          value = this.projectFact(fact);
        } catch {
          // The rule that asks for it reports the error.
          failed = true;
        }
        const old = previous.projectFacts.get(name);
        if (!failed && isSameData(old, value)) {
          // The earlier value stands for the new one: what is keyed by its objects (routes) is found again. Every
          // answer kept so far that read the fact read a value equal to the last one (it was computed from it, or kept
          // by an earlier cutoff), so whichever snapshot's frame of the fact it took in counts as unchanged.
          this.projectFacts.set(name, old);
          cutFacts.add(name);
          passOver = { facts: cutFacts, key: [...cutFacts].sort().join('\u0000') };
        }
      }
      // What waited and reads none of the facts still to be decided is judged now. (The known answers stand: a walk
      // marks changed only the frame whose own reads changed, and a cut fact's frames are passed over before.)
      const later = invalidPlain.slice(index + 1);
      for (const candidate of deferred.splice(0)) {
        const frame = candidate.frame;
        if (frame && later.some((other) => readsFact(frame, other))) deferred.push(candidate);
        else if (valid(frame, candidate.value, candidate.plain)) candidate.install();
      }
    }
    if (paths !== undefined) {
      const compared: Array<[FileFact<unknown>, string, 'same' | 'moved' | 'different']> = [];
      for (const [fact, byPath] of factAnswers) for (const [filePath, answer] of byPath) compared.push([fact, filePath, answer]);
      this.lastInheritance = { paths, compared, number };
    }
    this.stats.inherited = counts;
    // Its tables are this project's now; what inheritance read of it (facts of the replaced files' old versions) is read.
    if (take) previous.tookFrom = true;
    // The memos of tree nodes (project-memo.ts) start empty here: an entry of `previous` asked for later is taken over
    // when its reads hold, judged as a file fact's answer is (it may hold nodes) once every cutoff is decided.
    this.memoParent = {
      project: previous,
      keep: (frame) => {
        try {
          return withoutRecording(() => valid(frame, undefined, false));
        } catch {
          // A fact of an edited file's old version that `previous` no longer answers (its tables were taken over).
          return false;
        }
      },
    };
  }

  /**
   * The project this one inherited from (the last `inheritFrom` that took over answers), and whether an answer
   * recorded there (its frame) holds here: the memos of tree nodes take over such answers when asked. Only the latest
   * link is kept (a project that another inherits from drops its own), so no chain of snapshots stays alive.
   */
  getMemoParent(): { project: AnalysisProject; keep: (frame: ReadFrame) => boolean } | undefined {
    return this.memoParent;
  }

  private memoParent: { project: AnalysisProject; keep: (frame: ReadFrame) => boolean } | undefined;

  /**
   * The word postings and the import graph of `previous`, patched for the replaced files instead of rebuilt over every
   * file: only when the files sit at the same ordinals, and the import graph only when the replaced files import the
   * same specifiers and every importee is a scanned file (a neighbour loaded on demand is this project's own object).
   */
  private inheritIndexes(previous: AnalysisProject, replaced: ReadonlyMap<SourceFileInfo, SourceFileInfo | undefined>): void {
    const changed: Array<{ ordinal: number; before: SourceFileInfo; after: SourceFileInfo }> = [];
    for (let ordinal = 0; ordinal < previous.scanned.length; ordinal++) {
      const info = previous.scanned[ordinal] as SourceFileInfo;
      const own = this.scanned[ordinal];
      if (own === info) continue;
      if (!own || replaced.get(info) !== own) return;
      changed.push({ ordinal, before: info, after: own });
    }
    if (previous.postings && !this.postings) this.postings = patchPostings(previous.postings, changed);
    if (this.selects && this.mentioning.size === 0 && previous.mentioning.size > 0) {
      // The answers of `filesMentioning` for the words no replaced file starts or stops mentioning: the same files, the
      // replaced ones in their new version (at the same ordinals).
      const words = changed.map((c) => ({ ...c, old: new Set(c.before.index.words), now: new Set(c.after.index.words) }));
      for (const [key, list] of previous.mentioning) {
        const asked = key.split('\u0000');
        const mentions = (set: ReadonlySet<string>): boolean => asked.some((word) => set.has(word));
        if (words.some((c) => mentions(c.old) !== mentions(c.now))) continue;
        const swapped = words.filter((c) => mentions(c.now));
        this.mentioning.set(key, swapped.length === 0 ? list : list.map((info) => swapped.find((c) => c.before === info)?.after ?? info));
      }
    }
    const graph = previous.importGraph;
    if (!graph || this.importGraph || !changed.every((c) => sameStrings(c.before.importSpecifiers, c.after.importSpecifiers))) return;
    const swap = new Map(changed.map((c) => [c.before, c.after]));
    const mapInfo = (info: SourceFileInfo): SourceFileInfo => swap.get(info) ?? info;
    if (graph.ofUnscanned.length > 0) return;
    for (const target of graph.importers.keys()) if (!previous.scannedSet.has(target)) return;
    const importers = new Map<SourceFileInfo, SourceFileInfo[]>();
    // A list naming none of the replaced files is shared as it is (lists are never changed once built).
    graph.importers.forEach((list, target) => importers.set(mapInfo(target), list.some((info) => swap.has(info)) ? list.map(mapInfo) : list));
    this.importGraph = { importers, ofUnscanned: [] };
  }

  /**
   * Changes whenever a file is added, so memos of results that depend on other files (import
   * resolution, origins) can tell they are stale; lazily loaded neighbours do not change it.
   */
  get revision(): number {
    return this.revisionCounter;
  }

  files(): readonly SourceFileInfo[] {
    return this.scanned;
  }

  /** Whether `info.relPath` is its path relative to this root; string concatenation first, as the editor's snapshots ask for every file. */
  private isOwnPath(info: SourceFileInfo): boolean {
    // The root and the relative path side by side, compared without joining them (asked for every file of a snapshot).
    const prefix = (this.rootPrefix ??= this.root.endsWith(path.sep) ? this.root : this.root + path.sep);
    const rel = path.sep === '/' ? info.relPath : info.relPath.split('/').join(path.sep);
    if (info.path.length === prefix.length + rel.length && info.path.startsWith(prefix) && info.path.endsWith(rel)) return true;
    return info.relPath === this.relative(info.path);
  }

  private rootPrefix: string | undefined;

  relative(absPath: string): string {
    return path.relative(this.root, absPath).split(path.sep).join('/');
  }

  /** A scanned file, or a file of the repository loaded on demand; undefined outside the root. */
  getFile(absPath: string): SourceFileInfo | undefined {
    // The keys are resolved paths, so a path found as it is needs no resolving (the editor's snapshots ask for every file).
    const direct = this.byPath.get(absPath);
    if (direct !== undefined) return direct ?? undefined;
    const resolved = path.resolve(absPath);
    const known = this.byPath.get(resolved);
    if (known !== undefined) return known ?? undefined;
    if (!this.isInside(resolved) || resolved.includes(`${path.sep}node_modules${path.sep}`)) {
      this.byPath.set(resolved, null);
      return undefined;
    }
    const text = this.textSource.read(resolved);
    if (text === undefined || text.length > MAX_LAZY_FILE_BYTES || text.includes('\u0000')) {
      this.byPath.set(resolved, null);
      return undefined;
    }
    const info = this.createInfo(resolved, text, true);
    this.byPath.set(resolved, info);
    return info;
  }

  /**
   * Resolves an import to a repository file the way the TypeScript compiler does for the nearest
   * tsconfig.json (or jsconfig.json) of the importing file: relative paths (also across `rootDirs`),
   * `paths` patterns, then `baseUrl`. Package imports give undefined.
   */
  resolveImport(from: SourceFileInfo, specifier: string): SourceFileInfo | undefined {
    let byFile = this.resolvedByFile.get(from);
    if (!byFile) this.resolvedByFile.set(from, (byFile = new Map()));
    this.resolvedAny = true;
    const answered = this.fileAt(byFile.get(specifier));
    if (answered !== undefined) return answered ?? undefined;
    const dir = path.dirname(from.path);
    const key = `${dir}\u0000${specifier}`;
    let known = this.fileAt(this.resolvedImports.get(key));
    if (known === undefined) {
      known = this.resolveImportIn(dir, specifier) ?? null;
      this.resolvedImports.set(key, known?.path ?? null);
    }
    byFile.set(specifier, known?.path ?? null);
    return known ?? undefined;
  }

  /**
   * This project's file at a path a resolution table answered (null: the answer was "not a repository file");
   * undefined when the table has no answer or names a file this project has not loaded (a neighbour loaded on demand by
   * another project sharing the table): the caller resolves again.
   */
  private fileAt(found: string | null | undefined): SourceFileInfo | null | undefined {
    if (found === null) return null;
    return found === undefined ? undefined : (this.byPath.get(found) ?? undefined);
  }

  private resolveImportIn(dir: string, specifier: string): SourceFileInfo | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const base = path.resolve(dir, specifier);
      return this.resolveCandidate(base) ?? this.resolveAcrossRootDirs(dir, base);
    }
    // The answer depends on the folder only through its options: asked once per config, not once per folder.
    const options = this.getModuleResolution(dir);
    const memoKey = options ?? NO_OPTIONS;
    let bySpecifier = this.resolvedBare.get(memoKey);
    if (!bySpecifier) this.resolvedBare.set(memoKey, (bySpecifier = new Map()));
    let known = bySpecifier.get(specifier);
    if (known === undefined) {
      known = (options ? this.resolveThroughConfig(options, specifier) : undefined) ?? this.resolveWorkspacePackage(specifier) ?? null;
      bySpecifier.set(specifier, known);
    }
    return known ?? undefined;
  }

  private resolveThroughConfig(options: ModuleResolution, specifier: string): SourceFileInfo | undefined {
    let best: { captured: string; targets: string[]; prefix: number } | undefined;
    for (const { pattern, targets } of options.paths) {
      const captured = matchPathPattern(pattern, specifier);
      const prefix = pattern.indexOf('*') === -1 ? Infinity : pattern.indexOf('*');
      if (captured !== undefined && (!best || prefix > best.prefix)) best = { captured, targets, prefix };
    }
    if (best) {
      for (const target of best.targets) {
        const found = this.resolveCandidate(path.resolve(options.pathsBase, target.replace('*', best.captured)));
        if (found) return found;
      }
    }
    return options.baseUrl !== undefined ? this.resolveCandidate(path.resolve(options.baseUrl, specifier)) : undefined;
  }

  fileFact<T>(fact: FileFact<T>, file: SourceFileInfo): T {
    if (this.tookFrom) this.assertUsable();
    if (this.undecodedFacts.size > 0) this.decodeFacts(file);
    let memo = this.fileFacts.get(fact.name);
    if (!memo) {
      memo = new WeakMap();
      this.fileFacts.set(fact.name, memo);
    }
    const recording = isRecording() || this.records;
    if (memo.has(file)) {
      if (recording) {
        if (fact.local) recordFact(fact, file.path, file.onDemand);
        else recordFrame(this.fileFactFrames.get(fact.name)?.get(file));
      }
      return memo.get(file) as T;
    }
    if (fact.local && recording) {
      // A local fact reads its own file only; the caller depends on its value (compared when the file changes), not
      // on the file's whole text. Its own reads go to a frame of their own, for the memos it fills.
      recordFact(fact, file.path, file.onDemand);
      return recordReads(new ReadFrame(), () => this.computeFileFact(fact, file, memo));
    }
    return this.computeFileFact(fact, file, memo);
  }

  private computeFileFact<T>(fact: FileFact<T>, file: SourceFileInfo, memo: WeakMap<SourceFileInfo, unknown>): T {
    if (fact.portable && this.options.portable && !file.isParsed) return this.computeAlone(fact, file, this.options.portable);
    if (fact.local) this.localFactNames.add(fact.name);
    if (fact.local || !(isRecording() || this.records)) {
      const value = fact.compute(file, this);
      memo.set(file, value);
      return value;
    }
    const frame = new ReadFrame();
    const value = recordReads(frame, () => fact.compute(file, this));
    memo.set(file, value);
    this.setFileFactFrame(fact.name, file, frame);
    this.factsByName.set(fact.name, fact);
    recordFrame(frame);
    return value;
  }

  /**
   * Takes over the memo of a non-local file fact from the project inherited from (see `InheritOptions.consume`): the
   * answers `keep` refuses, and those of files this project does not scan in the same version, are deleted.
   */
  private takeFileFact(
    name: string,
    fact: FileFact<unknown>,
    memo: WeakMap<SourceFileInfo, unknown>,
    frames: WeakMap<SourceFileInfo, ReadFrame>,
    files: readonly SourceFileInfo[],
    keep: (info: SourceFileInfo, frame: ReadFrame | undefined) => boolean,
  ): void {
    this.fileFacts.set(name, memo);
    this.fileFactFrames.set(name, frames);
    this.factsByName.set(name, fact);
    const kept: SourceFileInfo[] = [];
    this.fileFactFiles.set(name, kept);
    for (const info of files) {
      if (this.scannedSet.has(info) && memo.has(info) && keep(info, frames.get(info))) {
        kept.push(info);
        continue;
      }
      memo.delete(info);
      frames.delete(info);
    }
  }

  private setFileFactFrame(name: string, file: SourceFileInfo, frame: ReadFrame): void {
    let frames = this.fileFactFrames.get(name);
    if (!frames) this.fileFactFrames.set(name, (frames = new WeakMap()));
    if (!frames.has(file)) {
      const files = this.fileFactFiles.get(name);
      if (files) files.push(file);
      else this.fileFactFiles.set(name, [file]);
    }
    frames.set(file, frame);
  }

  /**
   * A portable fact of a file whose tree is not kept, computed on a project of the file alone, so that whatever the
   * computation memoises over the tree (imports, nodes) goes with that project and no node of a dropped tree stays in
   * this one. When the computation parsed the file, the other portable facts and the syntax errors are taken from the
   * same tree (one parse for all of them); the memos of this project keep only the plain values.
   */
  private computeAlone<T>(fact: FileFact<T>, file: SourceFileInfo, portable: readonly FileFact<unknown>[]): T {
    const alone = new AnalysisProject(this.root, {}, NO_NEIGHBOURS, this.selects ? {} : { select: false });
    const known: KnownFileData = { index: file.index, importSpecifiers: file.importSpecifiers };
    if (file.hasParseSummary) known.parseSummary = file.parseSummary;
    const own = alone.addFile(file.path, file.text, known);
    const value = alone.fileFact(fact, own);
    this.seedFileFact(fact.name, file, value);
    if (own.isParsed) {
      this.stats.parsedForSummaries++;
      if (!file.hasParseSummary) file.parseSummary = own.parseSummary;
    }
    // From a parsed tree every portable fact; without a parse, those the computation asked for (the rest when asked).
    for (const other of portable) {
      if (this.hasFileFact(other, file) || !(own.isParsed || alone.hasFileFact(other, own))) continue;
      this.seedFileFact(other.name, file, alone.fileFact(other, own));
    }
    return value;
  }

  /** Whether a file fact's value for the file is known (memoised or handed over) without computing it. */
  hasFileFact(fact: FileFact<unknown>, file: SourceFileInfo): boolean {
    if (this.undecodedFacts.size > 0) this.decodeFacts(file);
    return this.fileFacts.get(fact.name)?.has(file) === true;
  }

  /** The file fact's value when it is memoised or handed over, without decoding stored facts or computing it. */
  memoisedFileFact(fact: FileFact<unknown>, file: SourceFileInfo): { value: unknown } | undefined {
    const memo = this.fileFacts.get(fact.name);
    return memo?.has(file) ? { value: memo.get(file) } : undefined;
  }

  /** Whether the file's `KnownFileData.lazyFacts` were never decoded: nothing asked for a fact of the file. */
  hasUndecodedFacts(file: SourceFileInfo): boolean {
    return this.undecodedFacts.has(file);
  }

  /** Decodes the file's `KnownFileData.lazyFacts`, if not done yet, into the memos that do not hold a value already. */
  private decodeFacts(file: SourceFileInfo): void {
    const decode = this.undecodedFacts.get(file);
    if (decode === undefined) return;
    this.undecodedFacts.delete(file);
    for (const [name, value] of Object.entries(decode())) if (this.fileFacts.get(name)?.has(file) !== true) this.seedFileFact(name, file, value);
  }

  /** Sets the memo of a portable file fact computed elsewhere from the file's text (see `KnownFileData.facts`). */
  private seedFileFact(name: string, file: SourceFileInfo, value: unknown): void {
    let memo = this.fileFacts.get(name);
    if (!memo) {
      memo = new WeakMap();
      this.fileFacts.set(name, memo);
    }
    memo.set(file, value);
    this.localFactNames.add(name);
  }

  projectFact<T>(fact: ProjectFact<T>): T {
    if (this.tookFrom) this.assertUsable();
    if (this.projectFacts.has(fact.name)) {
      if (isRecording()) recordFrame(this.projectFrames.get(fact.name));
      let value = this.projectFacts.get(fact.name);
      if (value instanceof DeferredAnswer) this.projectFacts.set(fact.name, (value = value.decode()));
      return value as T;
    }
    if (this.computing.has(fact.name)) throw new Error(`Cyclic project fact '${fact.name}'`);
    this.computing.add(fact.name);
    try {
      if (!(isRecording() || this.records)) {
        const value = fact.compute(this);
        this.projectFacts.set(fact.name, value);
        return value;
      }
      const frame = new ReadFrame();
      frame.factName = fact.name;
      const value = recordReads(frame, () => fact.compute(this));
      this.projectFacts.set(fact.name, value);
      this.projectFrames.set(fact.name, frame);
      if (fact.plain) {
        this.plainFacts.add(fact.name);
        this.factDefinitions.set(fact.name, fact as ProjectFact<unknown>);
      }
      recordFrame(frame);
      return value;
    } finally {
      this.computing.delete(fact.name);
    }
  }

  /**
   * A part of a project fact memoised on its own, by a key that names everything it takes besides the project (a
   * route's analysis, by the route's data): the editor's next snapshot keeps it when nothing it read changed, and
   * computes again only the parts that read the edited file. `kind` names the computation.
   */
  unit<T>(kind: string, key: string, compute: () => T): T {
    if (this.tookFrom) this.assertUsable();
    let table = this.units.get(kind);
    if (!table) this.units.set(kind, (table = new Map()));
    const known = table.get(key);
    if (known) {
      if (isRecording()) recordFrame(known.frame);
      if (known.value instanceof DeferredAnswer) known.value = known.value.decode();
      return known.value as T;
    }
    this.stats.units = (this.stats.units ?? 0) + 1;
    if (!(isRecording() || this.records)) {
      const value = compute();
      table.set(key, { value, frame: undefined });
      return value;
    }
    const frame = new ReadFrame();
    const value = recordReads(frame, compute);
    table.set(key, { value, frame });
    recordFrame(frame);
    return value;
  }

  /**
   * The plain answers computed here with what they read (plain project facts, units): what the scan cache keeps for
   * the next scan (run-cache.ts).
   */
  getPlainAnswers(): { facts: Array<{ name: string; value: unknown; frame: ReadFrame }>; units: Array<{ kind: string; key: string; value: unknown; frame: ReadFrame }> } {
    const facts: Array<{ name: string; value: unknown; frame: ReadFrame }> = [];
    for (const name of this.plainFacts) {
      const frame = this.projectFrames.get(name);
      if (frame && this.projectFacts.has(name)) facts.push({ name, value: this.projectFacts.get(name), frame });
    }
    const units: Array<{ kind: string; key: string; value: unknown; frame: ReadFrame }> = [];
    this.units.forEach((table, kind) =>
      table.forEach((unit, key) => {
        if (unit.frame) units.push({ kind, key, value: unit.value, frame: unit.frame });
      }),
    );
    return { facts, units };
  }

  /**
   * Takes plain answers of an earlier scan whose reads are unchanged here (run-cache.ts), before anything is computed:
   * asked for, they are answered as if computed here, with their frames. A value may be a `DeferredAnswer`, decoded
   * when first asked for; `getPlainAnswers` hands back the ones nobody asked for as they came.
   */
  installPlainAnswers(facts: ReadonlyArray<{ name: string; value: unknown; frame: ReadFrame }>, units: ReadonlyArray<{ kind: string; key: string; value: unknown; frame: ReadFrame }>): void {
    for (const { name, value, frame } of facts) {
      if (this.projectFacts.has(name)) continue;
      this.projectFacts.set(name, value);
      this.projectFrames.set(name, frame);
      this.plainFacts.add(name);
    }
    for (const { kind, key, value, frame } of units) {
      let table = this.units.get(kind);
      if (!table) this.units.set(kind, (table = new Map()));
      if (!table.has(key)) table.set(key, { value, frame });
    }
  }

  /** Whether this project records what its answers read (the editor's snapshots; see reads.ts). */
  get records(): boolean {
    return this.options.record === true;
  }

  /**
   * Runs an entry point (a file's rules, the project rules): inside a frame of its own when the project records, or in
   * `frame` when given (the scan cache keeps it with the output).
   */
  entry<T>(run: () => T, frame?: ReadFrame): T {
    return this.records ? recordReads(frame ?? new ReadFrame(), run) : run();
  }

  /** Whether a file exists inside the scan root (any kind of file: package.json, config). */
  hasFile(absPath: string): boolean {
    const resolved = path.resolve(absPath);
    return this.isInside(resolved) && this.textSource.exists(resolved);
  }

  /** The text of any file inside the scan root (a Prisma schema), as data; undefined when absent. */
  readText(absPath: string): string | undefined {
    const resolved = path.resolve(absPath);
    return this.isInside(resolved) ? this.textSource.read(resolved) : undefined;
  }

  /** The root package.json as data (never executed); undefined when absent or invalid. */
  getPackageJson(): Record<string, unknown> | undefined {
    if (this.packageJsonCache === undefined) {
      this.packageJsonCache = readJson(this.textSource.read(path.join(this.root, 'package.json'))) ?? null;
    }
    return this.packageJsonCache ?? undefined;
  }

  /** The package.json of a folder inside the root (relative, POSIX; `.` for the root), as data. */
  getPackageJsonIn(dir: string): Record<string, unknown> | undefined {
    if (dir === '.' || dir === '') return this.getPackageJson();
    const abs = path.resolve(this.root, dir, 'package.json');
    return this.isInside(abs) ? readJson(this.textSource.read(abs)) : undefined;
  }

  /** The declared or locked version of a dependency of the scanned repository. */
  getDependencyVersion(name: string): string | undefined {
    if (this.lockCache === undefined) this.lockCache = readJson(this.textSource.read(path.join(this.root, 'package-lock.json'))) ?? null;
    const packages = this.lockCache?.['packages'];
    if (packages && typeof packages === 'object') {
      const entry = (packages as Record<string, { version?: unknown }>)[`node_modules/${name}`];
      if (typeof entry?.version === 'string') return entry.version;
    }
    const pkg = this.getPackageJson();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
      const deps = pkg?.[field];
      if (deps && typeof deps === 'object') {
        const value = (deps as Record<string, unknown>)[name];
        if (typeof value === 'string') return value;
      }
    }
    return undefined;
  }

  private isInside(absPath: string): boolean {
    const rel = path.relative(this.root, absPath);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /** Memoised per base path: every importer of the same module resolves it once (stat calls dominate otherwise). */
  /**
   * A package of the repository's own workspaces (`"workspaces": ["packages/*"]` in the root package.json or
   * lerna.json), imported by its package.json name (`@acme/plugin`, `@acme/plugin/helpers`) where no tsconfig
   * `paths` entry maps it: the package manager links it into node_modules, so its source is the repository's.
   */
  private resolveWorkspacePackage(specifier: string): SourceFileInfo | undefined {
    let best: string | undefined;
    for (const name of this.getWorkspacePackages().keys()) {
      const matches = specifier.startsWith(name) && (specifier.length === name.length || specifier.charCodeAt(name.length) === 47);
      if (matches && (!best || name.length > best.length)) best = name;
    }
    const dir = best !== undefined ? this.getWorkspacePackages().get(best) : undefined;
    if (best === undefined || dir === undefined) return undefined;
    if (specifier !== best) return this.resolveCandidate(path.join(dir, specifier.slice(best.length + 1)));
    const manifest = readJson(this.textSource.read(path.join(dir, 'package.json')));
    const entries = ['source', 'types', 'typings', 'module', 'main']
      .map((field) => manifest?.[field])
      .filter((entry): entry is string => typeof entry === 'string')
      .map((entry) => path.resolve(dir, entry.replace(/\.d\.([mc]?ts)$/, '.$1')));
    for (const base of [...entries, path.join(dir, 'src', 'index'), path.join(dir, 'index')]) {
      const found = this.isInside(base) ? this.resolveCandidate(base) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** Package name → folder of each workspace package under the root (folders found among the scanned files). */
  private getWorkspacePackages(): Map<string, string> {
    if (this.workspacePackages) return this.workspacePackages;
    const packages = new Map<string, string>();
    this.workspacePackages = packages;
    const root = this.getPackageJson();
    const declared = Array.isArray(root?.['workspaces'])
      ? root['workspaces']
      : (root?.['workspaces'] as { packages?: unknown } | undefined)?.packages;
    const lerna = readJson(this.textSource.read(path.join(this.root, 'lerna.json')))?.['packages'];
    const patterns = [...(Array.isArray(declared) ? declared : []), ...(Array.isArray(lerna) ? lerna : [])].filter((p): p is string => typeof p === 'string' && !p.startsWith('!'));
    if (patterns.length === 0) return packages;
    const folders = new Set<string>();
    for (const pattern of patterns) {
      const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      if (!clean.includes('*')) folders.add(clean);
      else if (/^[^*]*\/\*$/.test(clean)) {
        const parent = clean.slice(0, -2);
        for (const file of this.scanned) {
          if (!file.relPath.startsWith(`${parent}/`)) continue;
          const child = file.relPath.slice(parent.length + 1).split('/')[0];
          if (child && file.relPath.length > parent.length + child.length + 1) folders.add(`${parent}/${child}`);
        }
      }
    }
    for (const folder of [...folders].sort()) {
      const name = this.getPackageJsonIn(folder)?.['name'];
      if (typeof name === 'string' && !packages.has(name)) packages.set(name, path.resolve(this.root, folder));
    }
    return packages;
  }

  private resolveCandidate(base: string): SourceFileInfo | undefined {
    const known = this.fileAt(this.resolvedBases.get(base));
    if (known !== undefined) return known ?? undefined;
    const found = this.findCandidate(base);
    this.resolvedBases.set(base, found?.path ?? null);
    this.resolvedAny = true;
    return found;
  }

  private findCandidate(base: string): SourceFileInfo | undefined {
    const ext = path.extname(base);
    const stem = ['.js', '.jsx', '.mjs', '.cjs'].includes(ext) ? base.slice(0, -ext.length) : undefined;
    const candidates = [base];
    if (stem) candidates.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`);
    for (const e of SOURCE_EXTENSIONS) candidates.push(base + e);
    for (const e of SOURCE_EXTENSIONS) candidates.push(path.join(base, `index${e}`));
    for (const candidate of candidates) {
      if (!SOURCE_EXTENSIONS.includes(path.extname(candidate))) continue;
      const known = this.byPath.get(candidate);
      if (known) return known;
      if (known === null) continue;
      if (this.textSource.exists(candidate)) {
        const info = this.getFile(candidate);
        if (info) return info;
      }
    }
    return undefined;
  }

  /** `rootDirs` merge folders into one virtual folder: `./x` from one root may live in another. */
  private resolveAcrossRootDirs(dir: string, base: string): SourceFileInfo | undefined {
    const rootDirs = this.getModuleResolution(dir)?.rootDirs ?? [];
    const containing = rootDirs.filter((r) => isWithin(r, base)).sort((a, b) => b.length - a.length)[0];
    if (containing === undefined) return undefined;
    const rest = path.relative(containing, base);
    for (const other of rootDirs) {
      if (other === containing) continue;
      const found = this.resolveCandidate(path.join(other, rest));
      if (found) return found;
    }
    return undefined;
  }

  /** The options of the nearest tsconfig.json or jsconfig.json, searched from `dir` up to the scan root. */
  private getModuleResolution(dir: string): ModuleResolution | null {
    const known = this.resolutionByDir.get(dir);
    if (known !== undefined) return known;
    let found: ModuleResolution | null = null;
    const config = TSCONFIG_NAMES.map((name) => path.join(dir, name)).find((candidate) => this.textSource.exists(candidate));
    if (config) found = this.readModuleResolution(config, 0);
    else if (dir !== this.root && this.isInside(dir)) found = this.getModuleResolution(path.dirname(dir));
    this.resolutionByDir.set(dir, found);
    return found;
  }

  /** A tsconfig read as data, with the options it inherits through `extends` (a file path or a list of them). */
  private readModuleResolution(configPath: string, depth: number): ModuleResolution | null {
    const known = this.resolutionByConfig.get(configPath);
    if (known !== undefined) return known;
    this.resolutionByConfig.set(configPath, null);
    const text = depth > MAX_EXTENDS_DEPTH ? undefined : this.textSource.read(configPath);
    if (text === undefined) return null;
    const config = ts.parseConfigFileTextToJson(configPath, text).config as { extends?: unknown; compilerOptions?: CompilerOptionsJson; references?: unknown } | undefined;
    const configDir = path.dirname(configPath);
    const own = config?.compilerOptions ?? {};
    // A solution-style config (`"files": []` with `references` to tsconfig.app.json, tsconfig.lib.json) compiles nothing
    // itself: the sources of its folder are compiled by the referenced projects, whose resolution options apply.
    if (Array.isArray(config?.references) && own.paths === undefined && own.baseUrl === undefined && own.rootDirs === undefined) {
      const referenced = config.references
        .map((r) => (r && typeof r === 'object' && typeof (r as { path?: unknown }).path === 'string' ? (r as { path: string }).path : undefined))
        .filter((r): r is string => r !== undefined)
        .map((r) => path.resolve(configDir, r))
        .map((r) => (r.endsWith('.json') ? r : path.join(r, 'tsconfig.json')))
        .filter((r) => r !== configPath && this.textSource.exists(r))
        // Source configs before test configs (`tsconfig.spec.json`, `tsconfig.e2e.json`).
        .sort((a, b) => Number(/spec|test|e2e/i.test(path.basename(a))) - Number(/spec|test|e2e/i.test(path.basename(b))));
      for (const reference of referenced) {
        const resolution = this.readModuleResolution(reference, depth + 1);
        if (resolution && (resolution.baseUrl !== undefined || resolution.paths.length > 0 || resolution.rootDirs.length > 0)) {
          this.resolutionByConfig.set(configPath, resolution);
          return resolution;
        }
      }
    }
    const parents = (Array.isArray(config?.extends) ? config.extends : [config?.extends]).filter((e): e is string => typeof e === 'string');
    let merged: ModuleResolution = { paths: [], pathsBase: configDir, rootDirs: [] };
    for (const parent of parents) {
      const parentPath = this.findExtendedConfig(configDir, parent);
      const inherited = parentPath ? this.readModuleResolution(parentPath, depth + 1) : null;
      if (!inherited) continue;
      if (inherited.baseUrl !== undefined) merged.baseUrl = inherited.baseUrl;
      if (inherited.paths.length > 0) merged = { ...merged, paths: inherited.paths, pathsBase: inherited.pathsBase };
      if (inherited.rootDirs.length > 0) merged.rootDirs = inherited.rootDirs;
    }
    const options = own;
    if (typeof options.baseUrl === 'string') merged.baseUrl = path.resolve(configDir, options.baseUrl);
    if (options.paths && typeof options.paths === 'object' && !Array.isArray(options.paths)) {
      merged.paths = Object.entries(options.paths as Record<string, unknown>)
        .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
        .map(([pattern, targets]) => ({ pattern, targets: targets.filter((t): t is string => typeof t === 'string') }));
      merged.pathsBase = configDir;
    }
    // Inherited `paths` resolve against the inherited or the declared baseUrl, as in the compiler.
    if (merged.baseUrl !== undefined) merged.pathsBase = merged.baseUrl;
    if (Array.isArray(options.rootDirs)) {
      merged.rootDirs = options.rootDirs.filter((r): r is string => typeof r === 'string').map((r) => path.resolve(configDir, r));
    }
    this.resolutionByConfig.set(configPath, merged);
    return merged;
  }

  /** `extends` targets: relative or absolute files (`.json` optional), or a package's config in node_modules. */
  private findExtendedConfig(configDir: string, target: string): string | undefined {
    const candidates: string[] = [];
    if (target.startsWith('.') || path.isAbsolute(target)) {
      const file = path.resolve(configDir, target);
      candidates.push(file, `${file}.json`, path.join(file, 'tsconfig.json'));
    } else {
      for (let dir = configDir; ; dir = path.dirname(dir)) {
        const file = path.join(dir, 'node_modules', target);
        candidates.push(file, `${file}.json`, path.join(file, 'tsconfig.json'));
        if (dir === this.root || path.dirname(dir) === dir || !this.isInside(dir)) break;
      }
    }
    return candidates.find((c) => c.endsWith('.json') && this.textSource.exists(c));
  }

  private createInfo(absPath: string, text: string | (() => string), onDemand = false): FileEntry {
    const resolved = path.resolve(absPath);
    const relPath = this.relative(resolved);
    return new FileEntry(resolved, relPath, text, isTestPath(relPath), this.stats, onDemand, this.storedTextTest);
  }
}

/** The text a `paths` pattern's `*` captures from a specifier; undefined when the pattern does not match. */
function matchPathPattern(pattern: string, specifier: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === specifier ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) return undefined;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

function isWithin(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function readJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Word postings: the ordinals (in `files()` order) of the scanned files whose index has a word. */
type Postings = ReadonlyMap<string, readonly number[]> | PatchedPostings;

/**
 * Postings of an editor's snapshot: the words whose lists the replaced files changed, over the postings of the
 * snapshot they were patched from, which every later patch shares instead of copying the whole vocabulary.
 */
class PatchedPostings {
  constructor(
    readonly base: ReadonlyMap<string, readonly number[]>,
    readonly changed: ReadonlyMap<string, readonly number[] | undefined>,
  ) {}

  get(word: string): readonly number[] | undefined {
    return this.changed.has(word) ? this.changed.get(word) : this.base.get(word);
  }
}

/** Word postings with the ordinals of changed files moved from their old words to their new ones (lists stay shared otherwise). */
function patchPostings(postings: Postings, changed: ReadonlyArray<{ ordinal: number; before: SourceFileInfo; after: SourceFileInfo }>): Postings {
  const base = postings instanceof PatchedPostings ? postings.base : postings;
  const delta = new Map(postings instanceof PatchedPostings ? postings.changed : []);
  const get = (word: string) => (delta.has(word) ? delta.get(word) : base.get(word));
  for (const { ordinal, before, after } of changed) {
    const had = new Set(before.index.words);
    const has = new Set(after.index.words);
    for (const word of had) {
      if (has.has(word)) continue;
      const list = (get(word) ?? []).filter((o) => o !== ordinal);
      delta.set(word, list.length === 0 ? undefined : list);
    }
    for (const word of has) {
      if (had.has(word)) continue;
      const list = [...(get(word) ?? [])];
      let at = list.length;
      while (at > 0 && (list[at - 1] as number) > ordinal) at--;
      list.splice(at, 0, ordinal);
      delta.set(word, list);
    }
  }
  // Edits spread over many files: merge the changes into a new base before they cost more than a copy.
  if (delta.size * 8 <= base.size) return new PatchedPostings(base, delta);
  const merged = new Map(base);
  for (const [word, list] of delta) {
    if (list) merged.set(word, list);
    else merged.delete(word);
  }
  return merged;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

