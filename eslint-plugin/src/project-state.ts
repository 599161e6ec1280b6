import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ActiveRule, AnalysisProject, AnyRule, AuthlintApi, AuthlintConfig, Finding, SourceFileInfo, TextSource, TsSourceFile } from './api.js';
import { isLayoutUnchanged, isSameStamp, isUnchanged, type Stamp, stampFolders, takeStamp } from './disk-check.js';

interface DiskFile {
  path: string;
  relPath: string;
  stamp: Stamp | undefined;
  /** Undefined when the CLI would skip the file too (too large, binary, minified, unreadable). */
  text: string | undefined;
  /** The file as read and parsed by the first snapshot that had this version; every later snapshot shares it. */
  info?: SourceFileInfo;
}

/** One AnalysisProject (disk texts, or disk texts plus the editor's text of one file) and the rule results over it. */
export interface Snapshot {
  project: AnalysisProject;
  /** Per file and rule+options: its findings, or the error the rule failed with. */
  fileResults: WeakMap<SourceFileInfo, Map<string, Finding[] | Error>>;
  projectResults: Map<string, Finding[] | Error>;
  /** For a snapshot with the editor's text of one file: that file (relative path); project rules report only there. */
  focus?: ReadonlySet<string>;
}

export interface Overlay {
  path: string;
  text: string;
  /** A TypeScript AST of `text` that is safe to reuse (same TypeScript version as authlint's), asked for only when a project is built. */
  getSourceFile?: () => TsSourceFile | undefined;
}

const MAX_OVERLAYS = 4;

export function hashText(text: string): string {
  return crypto.createHash('sha1').update(text).digest('hex');
}

/**
 * The project around a root as `authlint scan <root>` sees it: the same config, the same discovered files read
 * the same way. Parsed files are kept until their mtime changes, so a new snapshot only re-parses what changed.
 */
export class ProjectState {
  readonly root: string;
  private readonly api: AuthlintApi;
  private readonly rules: readonly AnyRule[];
  private readonly explicitConfig: string | undefined;
  private configKey = '';
  private config: AuthlintConfig = {};
  private actives = new Map<string, ActiveRule>();
  private files = new Map<string, DiskFile>();
  private order: string[] = [];
  /** The folders discovery listed, stamped (see stampFolders); undefined until the next discovery. */
  private layout: Map<string, Stamp | undefined> | undefined;
  /**
   * Whether paths that are not scanned files exist, as last seen, for paths in the folders the disk check stamps;
   * cleared whenever one of them changes.
   */
  private readonly existing = new Map<string, boolean>();
  private validatedAt = Number.NEGATIVE_INFINITY;
  private refreshCost = 0;
  private base: Snapshot | undefined;
  private readonly overlays = new Map<string, Snapshot>();
  /**
   * The project of the snapshot built last, while the list of files is unchanged: the next snapshot takes over its
   * memos of what depends only on the files they share (see AnalysisProject.inheritFrom).
   */
  private donor: AnalysisProject | undefined;
  /** See getSharedInfos; reset with the snapshots. */
  private sharedInfos: { infos: SourceFileInfo[]; positions: Map<string, number> } | undefined;
  /** Projects built so far; read by tests and the benchmark. */
  snapshotsBuilt = 0;
  /** What the snapshot built last computed and took over from the one before (AnalysisProject.stats); read by the benchmark. */
  get lastSnapshotStats(): AnalysisProject['stats'] | undefined {
    return this.donor?.stats;
  }
  /** Of those, the ones that took over memos from the snapshot built before (see `donor`). */
  snapshotsInherited = 0;
  /** Of those, the ones that took the tables of the snapshot before over, which was dropped (typing); read by tests. */
  snapshotsConsumed = 0;
  /** Disk checks run between lints (see `scheduleCheckAhead`); read by tests and the benchmark. */
  checksAhead = 0;
  private ahead: ReturnType<typeof setTimeout> | undefined;
  /** Disk checks that listed the files again (a folder or a `.gitignore` changed, or the config); read by tests and the benchmark. */
  discoveries = 0;

  constructor(api: AuthlintApi, rules: readonly AnyRule[], root: string, explicitConfig: string | undefined) {
    this.api = api;
    this.rules = rules;
    this.root = root;
    this.explicitConfig = explicitConfig;
  }

  /**
   * Re-reads the config and checks the files on disk when `interval` ms have passed since the last check, and schedules
   * the next check for when the process is idle (see `scheduleCheckAhead`).
   */
  refresh(interval: number): void {
    const now = performance.now();
    // On a large project the check itself (folders and a stat per file) costs; keep it under a tenth of the time.
    const wait = interval === 0 ? 0 : Math.max(interval, 10 * this.refreshCost);
    if (now - this.validatedAt >= wait) this.validate(now);
    if (interval > 0) this.scheduleCheckAhead(interval);
  }

  private validate(now: number): void {
    this.validatedAt = now;
    try {
      this.check();
    } catch (error) {
      // An invalid config must fail every lint until it is fixed, not only the first one.
      this.validatedAt = Number.NEGATIVE_INFINITY;
      // ESLint prints the message of what a rule throws: it names the authlint config file, the key and the problem.
      if (error instanceof Error && error.name === 'ConfigError') {
        throw new Error(`authlint: ${this.api.formatConfigError(error as Parameters<AuthlintApi['formatConfigError']>[0], process.cwd())}`, { cause: error });
      }
      throw error;
    } finally {
      this.refreshCost = performance.now() - now;
    }
  }

  /**
   * Checks the disk once the process is idle after a lint (an editor's ESLint server waits for the next change), half
   * an interval after the last check, so that the next lint usually finds a recent check instead of paying for one. A
   * lint still checks itself when the last check is older than the interval, so what a lint may miss is bounded as
   * before. Only a lint schedules one, the timer does not keep the process alive, and a failure is left to the next lint.
   */
  private scheduleCheckAhead(interval: number): void {
    if (this.ahead) return;
    const delay = Math.max(interval / 2, 20 * this.refreshCost);
    const fire = (): void => {
      // Node counts a timer from the event loop's cached time, which a long synchronous lint leaves behind: the timer
      // may fire before `delay` has passed by this clock, and a lint may have checked meanwhile. Wait for the rest.
      const left = this.validatedAt + delay - performance.now();
      if (left > 0) {
        this.ahead = setTimeout(fire, Math.ceil(left));
        this.ahead.unref();
        return;
      }
      this.ahead = undefined;
      try {
        this.validate(performance.now());
        this.checksAhead++;
      } catch {
        // The next lint checks again and reports it.
      }
    };
    this.ahead = setTimeout(fire, Math.max(0, Math.ceil(this.validatedAt + delay - performance.now())));
    this.ahead.unref();
  }

  private check(): void {
    const loaded = this.api.loadConfig(this.root, this.explicitConfig);
    const key = `${loaded.file ?? ''}\u0000${JSON.stringify(loaded.config)}`;
    if (key !== this.configKey) {
      this.actives = new Map(this.api.resolveRules(loaded.config, this.rules, loaded.file).map((a) => [a.rule.id, a]));
      this.configKey = key;
      this.config = loaded.config;
      this.files.clear();
      this.layout = undefined;
      this.invalidate();
    }
    if (this.layout && isLayoutUnchanged(this.layout)) {
      this.restat();
      return;
    }
    this.discoveries++;
    // Stamped before discovery lists the folders, so what changes meanwhile shows in the next check.
    const layout = stampFolders(this.root, this.api.PRUNED_FOLDER_NAMES);
    // Like the CLI, `include` selects what is reported, not what the project model is built from: ESLint's own file
    // selection decides which files are linted.
    const discovered = this.api.discoverFiles({ root: this.root, paths: [this.root], exclude: this.config.exclude ?? [] });
    const next = new Map<string, DiskFile>();
    let changed = discovered.files.length !== this.files.size;
    for (const { path: abs, relPath } of discovered.files) {
      const known = this.files.get(abs);
      const file = this.recheck(abs, relPath, known?.relPath === relPath ? known : undefined);
      if (file !== known) changed = true;
      next.set(abs, file);
    }
    this.layout = layout;
    // A folder changed: a file may have been created or removed (a package.json, an import candidate).
    this.existing.clear();
    if (changed) {
      this.files = next;
      this.order = discovered.files.map((f) => f.path);
      this.invalidate();
    }
  }

  /** The check while no folder changed: the same files, each compared with its stamp. */
  private restat(): void {
    let next: Map<string, DiskFile> | undefined;
    for (const abs of this.order) {
      const known = this.files.get(abs);
      if (!known) continue;
      const file = this.recheck(abs, known.relPath, known);
      if (file === known) continue;
      next ??= new Map(this.files);
      next.set(abs, file);
    }
    if (next) {
      this.files = next;
      this.invalidate();
    }
  }

  /** `known` when the file still has its text (its stamp, or the text read again, says so), else the file as now on disk. */
  private recheck(abs: string, relPath: string, known: DiskFile | undefined): DiskFile {
    const stamp = takeStamp(abs);
    if (known && isUnchanged(known.stamp, stamp)) return known;
    const text = this.api.readSourceFile(abs, relPath, this.config.maxFileSize ?? this.api.DEFAULT_MAX_FILE_SIZE).text;
    if (known && known.text === text) {
      // Touched, or too recent to trust its stamp: the same text keeps its parse and the snapshots built on it.
      known.stamp = stamp;
      return known;
    }
    return { path: abs, relPath, stamp, text };
  }

  get settings(): AuthlintConfig['project'] {
    return this.config.project;
  }

  /** The rule as the CLI would run it (config-file options merged over the defaults), or undefined when the CLI would not run it. */
  getActive(ruleId: string): ActiveRule | undefined {
    return this.actives.get(ruleId);
  }

  /** True when the config turns the rule off explicitly. */
  isTurnedOff(ruleId: string): boolean {
    const setting = this.config.rules?.[ruleId];
    return (Array.isArray(setting) ? setting[0] : setting) === 'off';
  }

  getConfigRuleOptions(ruleId: string): unknown {
    const setting = this.config.rules?.[ruleId];
    return Array.isArray(setting) ? setting[1] : undefined;
  }

  /** True when the CLI skips this file (too large, binary, minified) and its text on disk is unchanged. */
  isSkipped(file: string): boolean {
    const known = this.files.get(file);
    return known !== undefined && known.text === undefined && isSameStamp(known.stamp, takeStamp(file));
  }

  /** The project with the disk texts when `text` is what is on disk, else a project with `text` overlaid. */
  getSnapshot(overlay: Overlay): Snapshot {
    const disk = this.files.get(overlay.path);
    if (disk && disk.text === overlay.text) {
      this.base ??= this.build(undefined);
      return this.base;
    }
    const key = `${overlay.path}\u0000${hashText(overlay.text)}`;
    let snapshot = this.overlays.get(key);
    if (snapshot) {
      this.overlays.delete(key);
    } else {
      snapshot = this.build(overlay);
      if (this.overlays.size >= MAX_OVERLAYS) this.overlays.delete(this.overlays.keys().next().value as string);
    }
    this.overlays.set(key, snapshot);
    return snapshot;
  }

  /** Whether the disk check stamps the folder of `abs`: inside the root, in no folder it prunes (node_modules). */
  private isStamped(abs: string): boolean {
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const folders = rel.split(path.sep).slice(0, -1);
    return !folders.some((name) => this.api.PRUNED_FOLDER_NAMES.has(name));
  }

  /**
   * The files with a text on disk in discovery order, each as read and parsed by an earlier snapshot, and their
   * positions by path; undefined while one of them has not been read by a snapshot yet.
   */
  private getSharedInfos(): { infos: SourceFileInfo[]; positions: Map<string, number> } | undefined {
    if (this.sharedInfos) return this.sharedInfos;
    const infos: SourceFileInfo[] = [];
    const positions = new Map<string, number>();
    for (const abs of this.order) {
      const disk = this.files.get(abs);
      if (disk?.text === undefined) continue;
      if (!disk.info) return undefined;
      positions.set(abs, infos.length);
      infos.push(disk.info);
    }
    this.sharedInfos = { infos, positions };
    return this.sharedInfos;
  }

  private invalidate(): void {
    this.sharedInfos = undefined;
    this.base = undefined;
    this.overlays.clear();
    this.donor = undefined;
  }

  private build(overlay: Overlay | undefined): Snapshot {
    this.snapshotsBuilt++;
    const files = this.files;
    const existing = this.existing;
    const source: TextSource = {
      read: (abs) => {
        if (overlay && abs === overlay.path) return overlay.text;
        const known = files.get(abs);
        if (known?.text !== undefined) return known.text;
        try {
          return fs.readFileSync(abs, 'utf8');
        } catch {
          return undefined;
        }
      },
      exists: (abs) => {
        if ((overlay && abs === overlay.path) || files.has(abs)) return true;
        // Other paths (package.json files, import candidates) are asked again by every snapshot: answered once while
        // no folder changes (a file created or removed changes its folder's stamp, which the disk check compares).
        let found = existing.get(abs);
        if (found === undefined) {
          try {
            found = fs.statSync(abs).isFile();
          } catch {
            found = false;
          }
          if (this.isStamped(abs)) existing.set(abs, found);
        }
        return found;
      },
    };
    const project = new this.api.AnalysisProject(this.root, this.config.project ?? {}, source, { portable: this.api.PORTABLE_FACTS, record: true });
    const addOverlay = (o: Overlay) => {
      const sourceFile = o.getSourceFile?.();
      const info = addParsed(project, o.path, o.text, sourceFile ? { sourceFile, parseDiagnostics: getParseDiagnostics(sourceFile) } : undefined);
      // The linted text's file rules walk its tree: parsed first, its portable facts come from that tree instead of a
      // parse of their own on a project of the file alone (see AnalysisProject.fileFact).
      void info.sourceFile;
    };
    const shared = this.getSharedInfos();
    const at = overlay ? shared?.positions.get(overlay.path) : undefined;
    // A linted file the CLI skips on disk (too large, minified) is added where discovery listed it, by the loop below.
    if (shared && (at !== undefined || !overlay || !files.has(overlay.path))) {
      // Every file read and parsed by an earlier snapshot: added in two runs around the linted one.
      project.addSharedFiles(at === undefined ? shared.infos : shared.infos.slice(0, at));
      if (overlay) addOverlay(overlay);
      if (at !== undefined) project.addSharedFiles(shared.infos.slice(at + 1));
    } else {
      let overlaid = false;
      for (const abs of this.order) {
        if (overlay && abs === overlay.path) {
          addOverlay(overlay);
          overlaid = true;
          continue;
        }
        const disk = files.get(abs);
        if (disk?.text === undefined) continue;
        if (disk.info) project.addSharedFile(disk.info);
        else disk.info = project.addFile(abs, disk.text);
      }
      if (overlay && !overlaid) addOverlay(overlay);
    }
    const donor = this.donor;
    if (donor) {
      // The files the donor has in another version than this project (the edited file, before and after).
      const replaced = new Map<SourceFileInfo, SourceFileInfo | undefined>();
      const theirs = donor.files();
      const ours = project.files();
      theirs.forEach((info, i) => {
        // Both lists follow `order`: a file at the same place in both is the same file, the others are looked up.
        if (ours.length === theirs.length && ours[i] === info) return;
        const own = project.getFile(info.path);
        if (own !== info) replaced.set(info, own);
      });
      // An older text of the file being typed is rarely linted again (an undo): the new snapshot may take its tables
      // over instead of copying them, and it is then dropped. The snapshot of the disk texts is kept.
      const consume = donor !== this.base?.project;
      if (project.inheritFrom(donor, replaced, { consume })) this.snapshotsInherited++;
      if (project.consumed) {
        for (const [key, snapshot] of this.overlays) if (snapshot.project === donor) this.overlays.delete(key);
        this.snapshotsConsumed++;
      }
    }
    this.donor = project;
    const focus = overlay ? new Set([project.relative(overlay.path)]) : undefined;
    return { project, fileResults: new WeakMap(), projectResults: new Map(), ...(focus ? { focus } : {}) };
  }
}

function getParseDiagnostics(sourceFile: TsSourceFile): SourceFileInfo['parseDiagnostics'] {
  return (sourceFile as TsSourceFile & { parseDiagnostics?: SourceFileInfo['parseDiagnostics'] }).parseDiagnostics ?? [];
}

/** Adds a file to the project, reusing an AST parsed earlier from the same text. */
function addParsed(
  project: AnalysisProject,
  abs: string,
  text: string,
  parsed: Pick<SourceFileInfo, 'sourceFile' | 'parseDiagnostics'> | undefined,
): SourceFileInfo {
  return project.addFile(abs, text, parsed ? { parsed: { sourceFile: parsed.sourceFile, diagnostics: parsed.parseDiagnostics } } : {});
}

/** The folder a linted file's project starts at: the nearest one with an authlint config, a package.json or .git. */
export function findProjectRoot(file: string, markers: readonly string[], cache: Map<string, string>): string {
  const start = path.dirname(file);
  const visited: string[] = [];
  let dir = start;
  let found: string | undefined;
  for (;;) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    if (markers.some((m) => fs.existsSync(path.join(dir, m)))) {
      found = dir;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const root = found ?? start;
  for (const v of visited) cache.set(v, root);
  return root;
}
