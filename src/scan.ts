import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { ALL_RULES } from '../rules/index.js';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, resolveRules, type AuthlintConfig } from './core/config.js';
import { discoverFiles, PathNotFoundError } from './core/discover.js';
import { finalizeFindings, runFileRules, runProjectRules, type ActiveRule } from './core/engine.js';
import { AnalysisProject } from './core/project.js';
import { readSourceFile } from './core/read.js';
import type { AnyRule } from './core/rule.js';
import type { Finding, Notification } from './core/types.js';

export interface ScanProgress {
  phase: 'discover' | 'analyze' | 'project';
  done: number;
  total: number;
  file?: string;
}

export interface ScanOptions {
  /** Files or folders to scan; default the root. */
  paths?: string[];
  /** The scan root: reported paths are relative to it. Default: the single folder given, else the working directory. */
  root?: string;
  /** A configuration file; when absent one is searched for from the root upwards. */
  configFile?: string;
  /** A configuration object used instead of any file. */
  config?: AuthlintConfig;
  include?: string[];
  exclude?: string[];
  /** Rules to run instead of authlint's own (tests). */
  rules?: readonly AnyRule[];
  onProgress?: (progress: ScanProgress) => void;
  /** Load and parse the files but run no rule (`authlint routes`); the configuration is still validated. */
  skipRules?: boolean;
  /** Called with the loaded project at the end, for reports built from facts (the route inventory). */
  onProject?: (project: AnalysisProject) => void;
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
}

export { PathNotFoundError };

export function getScanRoot(paths: string[], cwd: string): string {
  if (paths.length === 1) {
    const only = path.resolve(cwd, paths[0] as string);
    try {
      if (fs.statSync(only).isDirectory()) return only;
    } catch {
      throw new PathNotFoundError(paths[0] as string);
    }
  }
  return cwd;
}

/** Scans a repository: discover, parse, facts, rules, findings. Never executes the scanned code. */
export function scan(options: ScanOptions = {}): ScanResult {
  const started = performance.now();
  const cwd = process.cwd();
  const givenPaths = options.paths && options.paths.length > 0 ? options.paths : [options.root ?? '.'];
  for (const p of givenPaths) {
    if (!fs.existsSync(path.resolve(cwd, p)) && !isLink(path.resolve(cwd, p))) throw new PathNotFoundError(p);
  }
  const root = path.resolve(options.root ?? getScanRoot(givenPaths, cwd));
  const loaded = options.config ? { config: options.config } : loadConfig(root, options.configFile);
  const config = loaded.config;
  const configured = resolveRules(config, options.rules ?? ALL_RULES, loaded.file);
  const active = options.skipRules ? [] : configured;
  const notifications: Notification[] = [];

  options.onProgress?.({ phase: 'discover', done: 0, total: 0 });
  const discovered = discoverFiles({
    root,
    paths: givenPaths.map((p) => path.resolve(cwd, p)),
    ...(config.include || options.include ? { include: [...(config.include ?? []), ...(options.include ?? [])] } : {}),
    exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])],
  });
  notifications.push(...discovered.notifications);

  const project = new AnalysisProject(root, config.project ?? {});
  const maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let lines = 0;
  for (const file of discovered.files) {
    const outcome = readSourceFile(file.path, file.relPath, maxFileSize);
    if (outcome.notification) notifications.push(outcome.notification);
    if (outcome.text === undefined) continue;
    try {
      const info = project.addFile(file.path, outcome.text);
      // A final line break ends the last line; it does not start another one (wc -l semantics, plus an unterminated last line).
      lines += info.sourceFile.getLineStarts().length - (/\r?\n$|\r$/.test(outcome.text) || outcome.text === '' ? 1 : 0);
      const first = info.parseDiagnostics[0];
      if (first) {
        notifications.push({
          kind: 'parse-error',
          level: 'warning',
          file: file.relPath,
          start: first.start,
          end: first.start + first.length,
          message: `${file.relPath} has syntax errors (${info.parseDiagnostics.length}; first: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}); analysed as far as the parser recovered.`,
        });
      }
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
    }
  }

  const findings: Finding[] = [];
  const files = project.files();
  files.forEach((file, index) => {
    options.onProgress?.({ phase: 'analyze', done: index, total: files.length, file: file.relPath });
    const result = runFileRules(project, file, active);
    findings.push(...result.findings);
    notifications.push(...result.notifications);
  });
  options.onProgress?.({ phase: 'project', done: files.length, total: files.length });
  const projectResult = runProjectRules(project, active);
  findings.push(...projectResult.findings);
  notifications.push(...projectResult.notifications);

  const final = finalizeFindings(project, findings, active);
  notifications.push(...final.notifications);
  options.onProject?.(project);
  if (files.length === 0) {
    notifications.push({ kind: 'no-files', level: 'note', message: 'No JavaScript or TypeScript files found to scan.' });
  }
  return {
    root,
    findings: final.findings,
    notifications: sortNotifications(notifications),
    rules: active.map((a) => ({ id: a.rule.id, level: a.level })),
    filesScanned: files.length,
    linesScanned: lines,
    ...(loaded.file ? { configFile: loaded.file } : {}),
    successful: !notifications.some((n) => n.kind === 'rule-error' || n.kind === 'unreadable' || (n.kind === 'parse-error' && n.level === 'error')),
    durationMs: performance.now() - started,
  };
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
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
