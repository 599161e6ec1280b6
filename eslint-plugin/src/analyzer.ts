import path from 'node:path';
import type { ActiveRule, AnyRule, AuthlintApi, Finding, Notification, SourceFileInfo, TsSourceFile } from './api.js';
import { findProjectRoot, ProjectState, type Snapshot } from './project-state.js';
import type { AdapterSettings } from './settings.js';

/** What one ESLint rule instance asks for when ESLint lints one file. */
export interface LintRequest {
  rule: AnyRule;
  /** The rule's options in the ESLint config (context.options[0]); they override authlint.config.json. */
  eslintOptions: unknown;
  hasEslintOptions: boolean;
}

interface Session {
  file: string;
  text: string;
  settings: AdapterSettings;
  getSourceFile: (() => TsSourceFile | undefined) | undefined;
  requests: Map<string, LintRequest>;
  /** authlint's unused or unknown suppression notices on this file, by the rule that reports them. */
  notices: Map<string, Notification[]>;
  resolved?: { state: ProjectState; snapshot: Snapshot; info: SourceFileInfo } | null;
}

export interface AnalyzerStats {
  fileRuleBatches: number;
  projectRuleRuns: number;
  /** Lints that used typescript-eslint's TypeScript AST instead of parsing again. */
  reusedAsts: number;
}

/** Thrown into ESLint when a rule fails, as ESLint does for its own crashing rules; the CLI reports the same as a notification. */
export class AuthlintRuleError extends Error {
  constructor(notification: Notification) {
    super(notification.message);
    this.name = 'AuthlintRuleError';
  }
}

/**
 * Runs authlint's rules for ESLint. All authlint rules that ESLint runs on one file share one session:
 * the first rule whose `Program` listener fires runs every requested file rule in one walk, and results are
 * cached per snapshot, file and options, so an unchanged file is never analysed twice.
 */
export class Analyzer {
  readonly api: AuthlintApi;
  readonly rules: readonly AnyRule[];
  readonly stats: AnalyzerStats = { fileRuleBatches: 0, projectRuleRuns: 0, reusedAsts: 0 };
  private readonly states = new Map<string, ProjectState>();
  private readonly rootCache = new Map<string, string>();
  private readonly sessions = new WeakMap<object, Session>();

  constructor(api: AuthlintApi, rules: readonly AnyRule[]) {
    this.api = api;
    this.rules = rules;
  }

  /** Called from each rule's `create`: registers the rule for this file's session (keyed by ESLint's SourceCode object). */
  register(
    sourceCode: object,
    file: string,
    text: string,
    settings: AdapterSettings,
    request: LintRequest,
    getSourceFile?: () => TsSourceFile | undefined,
  ): void {
    let session = this.sessions.get(sourceCode);
    if (!session || session.file !== file || session.text !== text) {
      session = { file, text, settings, getSourceFile, requests: new Map(), notices: new Map() };
      this.sessions.set(sourceCode, session);
    }
    session.requests.set(request.rule.id, request);
  }

  /** The findings of one rule on the linted file, suppressed ones removed, sorted by position. */
  getFindings(sourceCode: object, ruleId: string): Finding[] {
    const session = this.sessions.get(sourceCode);
    const request = session?.requests.get(ruleId);
    if (!session || !request) return [];
    const resolved = this.resolve(session);
    if (!resolved) return [];
    const { state, snapshot, info } = resolved;
    const active = this.getEffectiveRule(state, request);
    if (!active) return [];
    const key = resultKey(active);
    let findings: Finding[];
    if (active.rule.meta.scope === 'project') {
      let all = snapshot.projectResults.get(key);
      if (!all) {
        this.stats.projectRuleRuns++;
        // A snapshot with the editor's text serves only that file: rules may skip work for the others.
        const result = this.api.runProjectRules(snapshot.project, [active], snapshot.focus ? { focus: snapshot.focus } : {});
        all = getRuleError(result.notifications, active.rule.id) ?? result.findings;
        snapshot.projectResults.set(key, all);
      }
      if (all instanceof Error) throw all;
      findings = all.filter((f) => f.file === info.relPath);
    } else {
      findings = this.getFileRuleFindings(session, state, snapshot, info, key);
    }
    return this.finalize(session, info, findings, ruleId);
  }

  /**
   * authlint's notices about its own suppression comments on the linted file that this rule reports: unused
   * `authlint-disable` comments naming it, and (from one rule per file) names of unknown rules. Call after getFindings.
   */
  getSuppressionNotices(sourceCode: object, ruleId: string): Notification[] {
    return this.sessions.get(sourceCode)?.notices.get(ruleId) ?? [];
  }

  /** The ProjectState for a root; exposed for tests and the benchmark. */
  getState(root: string): ProjectState | undefined {
    return this.states.get(root);
  }

  private resolve(session: Session): Session['resolved'] {
    if (session.resolved !== undefined) return session.resolved;
    const { file, settings } = session;
    const root = settings.root ?? findProjectRoot(file, [...this.api.CONFIG_FILE_NAMES, 'package.json', '.git'], this.rootCache);
    const stateKey = `${root}\u0000${settings.configFile ?? ''}`;
    let state = this.states.get(stateKey);
    if (!state) {
      state = new ProjectState(this.api, this.rules, root, settings.configFile);
      this.states.set(stateKey, state);
      this.states.set(root, state);
    }
    state.refresh(settings.refreshInterval);
    if (state.isSkipped(file)) {
      session.resolved = null;
      return null;
    }
    const own = session.getSourceFile;
    const getSourceFile = own
      ? () => {
          const sourceFile = own();
          if (sourceFile) this.stats.reusedAsts++;
          return sourceFile;
        }
      : undefined;
    const snapshot = state.getSnapshot({ path: file, text: session.text, ...(getSourceFile ? { getSourceFile } : {}) });
    const info = snapshot.project.getFile(file) ?? snapshot.project.files().find((f) => f.path === file);
    session.resolved = info ? { state, snapshot, info } : null;
    return session.resolved;
  }

  /** Options: the rule's defaults, then authlint.config.json, then the ESLint rule options. Undefined when the CLI would not run the rule. */
  private getEffectiveRule(state: ProjectState, request: LintRequest): ActiveRule | undefined {
    const { rule } = request;
    if (state.isTurnedOff(rule.id)) return undefined;
    const active = state.getActive(rule.id);
    if (!active && !request.hasEslintOptions) return undefined;
    const base = active?.options ?? this.api.mergeOptions(rule.defaultOptions, state.getConfigRuleOptions(rule.id));
    const options = request.hasEslintOptions ? this.api.mergeOptions(base, request.eslintOptions) : base;
    return { rule, level: active?.level ?? rule.meta.level, options };
  }

  private getFileRuleFindings(session: Session, state: ProjectState, snapshot: Snapshot, info: SourceFileInfo, key: string): Finding[] {
    let cached = snapshot.fileResults.get(info);
    if (!cached) {
      cached = new Map();
      snapshot.fileResults.set(info, cached);
    }
    const hit = cached.get(key);
    if (hit instanceof Error) throw hit;
    if (hit) return hit;
    const batch: ActiveRule[] = [];
    for (const request of session.requests.values()) {
      if (request.rule.meta.scope !== 'file') continue;
      const active = this.getEffectiveRule(state, request);
      if (active && !cached.has(resultKey(active))) batch.push(active);
    }
    this.stats.fileRuleBatches++;
    const result = this.api.runFileRules(snapshot.project, info, batch);
    for (const active of batch) {
      const error = getRuleError(result.notifications, active.rule.id);
      cached.set(resultKey(active), error ?? result.findings.filter((f) => f.ruleId === active.rule.id));
    }
    const computed = cached.get(key) ?? [];
    if (computed instanceof Error) throw computed;
    return computed;
  }

  /** The CLI's finalizeFindings for one file: de-duplicate, sort, mark suppressions; ESLint shows only unsuppressed findings. */
  private finalize(session: Session, info: SourceFileInfo, findings: Finding[], ruleId: string): Finding[] {
    const unique = new Map<string, Finding>();
    for (const f of findings) {
      const k = `${f.file}\u0000${f.start}\u0000${f.end}\u0000${f.ruleId}\u0000${f.message}`;
      if (!unique.has(k)) unique.set(k, { ...f });
    }
    const list = this.api.sortFindings([...unique.values()]);
    const reportUnknown = ruleId === [...session.requests.keys()].sort()[0];
    session.notices.set(ruleId, this.api.applySuppressions(info, list, new Set(this.rules.map((r) => r.id)), { ruleId, reportUnknown }));
    for (const f of list) {
      // An eslint-disable-next-line above a decorator stack covers the decorated method in authlint; ESLint covers one
      // line, so the finding is reported on that line, where ESLint applies the directive.
      if (f.suppression?.eslintAt !== undefined) f.start = f.end = f.suppression.eslintAt;
    }
    // ESLint applies its own disable directives (and reports them when unused), so only authlint's are removed here.
    return list.filter((f) => !f.suppression || f.suppression.eslint === true);
  }
}

function resultKey(active: ActiveRule): string {
  return `${active.rule.id}\u0000${JSON.stringify(active.options) ?? ''}`;
}

function getRuleError(notifications: readonly Notification[], ruleId: string): AuthlintRuleError | undefined {
  const failure = notifications.find((n) => n.kind === 'rule-error' && n.ruleId === ruleId);
  return failure ? new AuthlintRuleError(failure) : undefined;
}

/** The absolute path authlint uses for the file ESLint lints (stdin and virtual files get a path under cwd). */
export function getLintedPath(filename: string, cwd: string): string {
  if (filename === '<input>' || filename === '<text>') return path.join(cwd, '__eslint_input__.ts');
  return path.resolve(cwd, filename);
}
