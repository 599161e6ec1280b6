import { ts } from 'ts-morph';
import fs from 'node:fs';
import path from 'node:path';
import { isTestPath, parseSource, SOURCE_EXTENSIONS } from './parse.js';
import type { ProjectSettings } from './types.js';

export interface SourceFileInfo {
  /** Absolute path. */
  path: string;
  /** Relative to the scan root, POSIX separators. */
  relPath: string;
  text: string;
  sourceFile: ts.SourceFile;
  isTestFile: boolean;
  parseDiagnostics: readonly ts.DiagnosticWithLocation[];
}

/** Where file text comes from: the disk in the CLI, the editor buffer for the linted file in ESLint. */
export interface TextSource {
  read(absPath: string): string | undefined;
  exists(absPath: string): boolean;
}

export const DISK_TEXT_SOURCE: TextSource = {
  read(absPath) {
    try {
      return fs.readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(absPath) {
    try {
      return fs.statSync(absPath).isFile();
    } catch {
      return false;
    }
  },
};

export interface FileFact<T> {
  readonly name: string;
  compute(file: SourceFileInfo, project: AnalysisProject): T;
}

export interface ProjectFact<T> {
  readonly name: string;
  compute(project: AnalysisProject): T;
}

export function defineFileFact<T>(name: string, compute: (file: SourceFileInfo, project: AnalysisProject) => T): FileFact<T> {
  return { name, compute };
}

export function defineProjectFact<T>(name: string, compute: (project: AnalysisProject) => T): ProjectFact<T> {
  return { name, compute };
}

interface PathMapping {
  baseUrl: string;
  paths: Array<{ pattern: string; targets: string[] }>;
}

const MAX_LAZY_FILE_BYTES = 2 * 1024 * 1024;

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
  private readonly fileFacts = new Map<string, WeakMap<SourceFileInfo, unknown>>();
  private readonly projectFacts = new Map<string, unknown>();
  private readonly computing = new Set<string>();
  private pathMapping: PathMapping | null | undefined;
  private packageJsonCache: Record<string, unknown> | null | undefined;
  /** The root package-lock.json, read and parsed once (a lockfile can be megabytes; rules ask per call). */
  private lockCache: Record<string, unknown> | null | undefined;
  /** Import resolutions by candidate base path (null: not a repository file); reset when a file is added. */
  private readonly resolvedBases = new Map<string, SourceFileInfo | null>();
  private revisionCounter = 0;

  constructor(root: string, settings: ProjectSettings = {}, textSource: TextSource = DISK_TEXT_SOURCE) {
    this.root = path.resolve(root);
    this.settings = settings;
    this.textSource = textSource;
  }

  /** Adds a file that is part of the scan (its findings are reported). */
  addFile(absPath: string, text: string): SourceFileInfo {
    const info = this.createInfo(absPath, text);
    this.byPath.set(info.path, info);
    this.scanned.push(info);
    this.resolvedBases.clear();
    this.revisionCounter++;
    return info;
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

  relative(absPath: string): string {
    return path.relative(this.root, absPath).split(path.sep).join('/');
  }

  /** A scanned file, or a file of the repository loaded on demand; undefined outside the root. */
  getFile(absPath: string): SourceFileInfo | undefined {
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
    const info = this.createInfo(resolved, text);
    this.byPath.set(resolved, info);
    return info;
  }

  /** Resolves a relative or tsconfig-`paths` import to a repository file; package imports give undefined. */
  resolveImport(from: SourceFileInfo, specifier: string): SourceFileInfo | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      return this.resolveCandidate(path.resolve(path.dirname(from.path), specifier));
    }
    const mapping = this.getPathMapping();
    if (!mapping) return undefined;
    for (const { pattern, targets } of mapping.paths) {
      const star = pattern.indexOf('*');
      let captured: string | undefined;
      if (star === -1) {
        if (pattern === specifier) captured = '';
      } else {
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
          captured = specifier.slice(prefix.length, specifier.length - suffix.length);
        }
      }
      if (captured === undefined) continue;
      for (const target of targets) {
        const found = this.resolveCandidate(path.resolve(mapping.baseUrl, target.replace('*', captured)));
        if (found) return found;
      }
    }
    return undefined;
  }

  fileFact<T>(fact: FileFact<T>, file: SourceFileInfo): T {
    let memo = this.fileFacts.get(fact.name);
    if (!memo) {
      memo = new WeakMap();
      this.fileFacts.set(fact.name, memo);
    }
    if (memo.has(file)) return memo.get(file) as T;
    const value = fact.compute(file, this);
    memo.set(file, value);
    return value;
  }

  projectFact<T>(fact: ProjectFact<T>): T {
    if (this.projectFacts.has(fact.name)) return this.projectFacts.get(fact.name) as T;
    if (this.computing.has(fact.name)) throw new Error(`Cyclic project fact '${fact.name}'`);
    this.computing.add(fact.name);
    try {
      const value = fact.compute(this);
      this.projectFacts.set(fact.name, value);
      return value;
    } finally {
      this.computing.delete(fact.name);
    }
  }

  /** Whether a file exists inside the scan root (any kind of file: package.json, config). */
  hasFile(absPath: string): boolean {
    const resolved = path.resolve(absPath);
    return this.isInside(resolved) && this.textSource.exists(resolved);
  }

  /** The root package.json as data (never executed); undefined when absent or invalid. */
  getPackageJson(): Record<string, unknown> | undefined {
    if (this.packageJsonCache === undefined) {
      this.packageJsonCache = readJson(this.textSource.read(path.join(this.root, 'package.json'))) ?? null;
    }
    return this.packageJsonCache ?? undefined;
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
  private resolveCandidate(base: string): SourceFileInfo | undefined {
    const known = this.resolvedBases.get(base);
    if (known !== undefined) return known ?? undefined;
    const found = this.findCandidate(base);
    this.resolvedBases.set(base, found ?? null);
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

  private getPathMapping(): PathMapping | null {
    if (this.pathMapping !== undefined) return this.pathMapping;
    this.pathMapping = this.readPathMapping(path.join(this.root, 'tsconfig.json'), 0);
    return this.pathMapping;
  }

  private readPathMapping(configPath: string, depth: number): PathMapping | null {
    const text = this.textSource.read(configPath);
    if (text === undefined || depth > 5) return null;
    const parsed = ts.parseConfigFileTextToJson(configPath, text);
    const config = parsed.config as { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
    const options = config?.compilerOptions;
    if (options?.paths && typeof options.paths === 'object') {
      const baseUrl = path.resolve(path.dirname(configPath), typeof options.baseUrl === 'string' ? options.baseUrl : '.');
      const paths = Object.entries(options.paths as Record<string, unknown>)
        .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]))
        .map(([pattern, targets]) => ({ pattern, targets: targets.filter((t) => typeof t === 'string') }));
      return { baseUrl, paths };
    }
    if (typeof config?.extends === 'string' && config.extends.startsWith('.')) {
      const next = path.resolve(path.dirname(configPath), config.extends);
      return this.readPathMapping(next.endsWith('.json') ? next : `${next}.json`, depth + 1);
    }
    return null;
  }

  private createInfo(absPath: string, text: string): SourceFileInfo {
    const resolved = path.resolve(absPath);
    const { sourceFile, diagnostics } = parseSource(resolved, text);
    const relPath = this.relative(resolved);
    return { path: resolved, relPath, text, sourceFile, isTestFile: isTestPath(relPath), parseDiagnostics: diagnostics };
  }
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
