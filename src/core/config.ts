import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { withOpenRules } from './config-schema.js';
import { getPackageRoot } from './package-root.js';
import { didYouMean, getSuggestion } from './suggest.js';
import type { AnyRule } from './rule.js';
import type { ActiveRule } from './engine.js';
import type { Level, ProjectSettings, RuleLevel } from './types.js';

/** A level as written in a configuration: `warn` is accepted for `warning`, as in ESLint. */
export type ConfigLevel = RuleLevel | 'warn';
export type RuleSetting = ConfigLevel | [ConfigLevel] | [ConfigLevel, Record<string, unknown>];

export function normalizeLevel<L extends string>(level: L | 'warn'): Exclude<L, 'warn'> | 'warning' {
  return level === 'warn' ? 'warning' : (level as Exclude<L, 'warn'>);
}

export interface AuthlintConfig {
  rules?: Record<string, RuleSetting>;
  include?: string[];
  exclude?: string[];
  maxFileSize?: number;
  project?: ProjectSettings;
}

export interface LoadedConfig {
  config: AuthlintConfig;
  /** Absolute path of the file it came from; undefined for the built-in defaults. */
  file?: string;
}

/** A configuration problem: reported with the file, the key and what is wrong, exit code 2. */
export class ConfigError extends Error {
  readonly file: string | undefined;
  readonly key: string | undefined;
  constructor(message: string, file?: string, key?: string) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
    this.key = key;
  }
}

/**
 * One line for a configuration error: `invalid configuration in <file>[:line:column]: '<key>' <problem>`, the
 * file relative to `cwd` (absolute when outside it); the same words in the CLI and in the ESLint plugin.
 */
export function formatConfigError(error: ConfigError, cwd: string): string {
  let where = 'configuration';
  if (error.file) {
    const rel = path.relative(cwd, error.file).split(path.sep).join('/');
    where = rel === '' || rel.startsWith('../') || path.isAbsolute(rel) ? error.file.split(path.sep).join('/') : rel;
  }
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (error.file && position !== undefined && !/\(line \d+ column \d+\)/.test(error.message)) {
    const text = readIfPossible(error.file);
    if (text !== undefined) {
      const before = text.slice(0, Number(position));
      const line = before.split('\n').length;
      const column = Number(position) - before.lastIndexOf('\n');
      return `invalid configuration in ${where}:${line}:${column}: ${error.message}`;
    }
  }
  return `invalid configuration in ${where}: ${error.message}`;
}

export const CONFIG_FILE_NAMES = ['authlint.config.json', '.authlintrc.json'];
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

export const CONFIG_SCHEMA = JSON.parse(
  fs.readFileSync(path.join(getPackageRoot(), 'schema', 'authlint.config.schema.json'), 'utf8'),
) as Record<string, unknown>;

const requireHere = createRequire(import.meta.url);
let validator: Ajv | undefined;

/**
 * The schema validator, loaded and made on first use: loading ajv cost every thread that imports this module (the CLI's
 * three) about 0.03-0.08 CPU s at start, and a repository without a config file or rule options never validates.
 */
function getValidator(): Ajv {
  if (!validator) {
    const { Ajv: Validator } = requireHere('ajv') as typeof import('ajv');
    // verbose: errors carry the failing data and schema, for "did you mean" suggestions.
    validator = new Validator({ allErrors: true, strict: false, verbose: true });
  }
  return validator;
}
/** Compiled on first use: a repository without a config file never pays for it. */
let validateConfig: ValidateFunction | undefined;

function describeErrors(errors: readonly ErrorObject[] | null | undefined): { key: string; message: string } {
  const error = errors?.find((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ?? errors?.[0];
  if (!error) return { key: '', message: 'invalid value' };
  const key = error.instancePath.replace(/^\//, '').split('/').join('.');
  let message = error.message ?? 'invalid value';
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: string }).additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
    return { key: key ? `${key}.${extra}` : extra, message: `is not a known setting${didYouMean(extra, known)}` };
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    const suggestion = typeof error.data === 'string' ? getSuggestion(error.data, allowed.filter((v): v is string => typeof v === 'string')) : undefined;
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`;
  }
  return { key, message };
}

export function parseConfigText(text: string, file: string, fromPackageJson = false): AuthlintConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`invalid JSON: ${(error as Error).message}`, file);
  }
  if (fromPackageJson) data = (data as Record<string, unknown> | null)?.['authlint'];
  validateConfig ??= getValidator().compile(withOpenRules(CONFIG_SCHEMA));
  if (!validateConfig(data)) {
    const { key, message } = describeErrors(validateConfig.errors);
    const prefix = fromPackageJson ? 'authlint.' : '';
    throw new ConfigError(`'${prefix}${key}' ${message}`, file, `${prefix}${key}`);
  }
  return data as AuthlintConfig;
}

/** Finds the configuration by walking up from `start`, or reads `explicit`. */
export function loadConfig(start: string, explicit?: string): LoadedConfig {
  if (explicit) {
    const file = path.resolve(explicit);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read config: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file);
    }
    return { config: parseConfigText(text, file, path.basename(file) === 'package.json'), file };
  }
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return { config: parseConfigText(fs.readFileSync(file, 'utf8'), file), file };
    }
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const text = readIfPossible(pkg);
      if (text !== undefined && hasAuthlintKey(text)) return { config: parseConfigText(text, pkg, true), file: pkg };
    }
    if (fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { config: {} };
}

function readIfPossible(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function hasAuthlintKey(text: string): boolean {
  try {
    const data: unknown = JSON.parse(text);
    return typeof data === 'object' && data !== null && 'authlint' in data;
  } catch {
    return false;
  }
}

export function isEnabledByDefault(rule: AnyRule, settings: ProjectSettings): boolean {
  if (rule.meta.enabledByDefault === false) return rule.id === 'jwt-use-shared-library' && settings.sharedLibrary !== undefined;
  return true;
}

/** The rules that run, each with its level and options merged over its defaults and validated. */
export function resolveRules(config: AuthlintConfig, allRules: readonly AnyRule[], configFile?: string): ActiveRule[] {
  const known = new Map(allRules.map((r) => [r.id, r]));
  for (const id of Object.keys(config.rules ?? {})) {
    if (!known.has(id)) throw new ConfigError(`'rules.${id}' is not a known rule${didYouMean(id, known.keys())}`, configFile, `rules.${id}`);
  }
  const settings = config.project ?? {};
  const active: ActiveRule[] = [];
  for (const rule of allRules) {
    const setting = config.rules?.[rule.id];
    const [written, userOptions] = Array.isArray(setting) ? setting : [setting, undefined];
    const levelSetting = written === undefined ? undefined : normalizeLevel(written);
    if (levelSetting === 'off') continue;
    if (levelSetting === undefined && !isEnabledByDefault(rule, settings)) continue;
    const level: Level = levelSetting ?? rule.meta.level;
    const options = mergeOptions(rule.defaultOptions, userOptions);
    // Defaults are checked against the schema by the meta tests; compiling a schema costs milliseconds, so only
    // options the user wrote are validated.
    if (userOptions === undefined) {
      active.push({ rule, level, options });
      continue;
    }
    const validate = getValidator().compile(rule.schema);
    if (!validate(options)) {
      const { key, message } = describeErrors(validate.errors);
      throw new ConfigError(`'rules.${rule.id}[1]${key ? `.${key}` : ''}' ${message}`, configFile, `rules.${rule.id}`);
    }
    active.push({ rule, level, options });
  }
  return active;
}

export function mergeOptions(defaults: unknown, user: unknown): unknown {
  if (user === undefined) return defaults;
  if (isPlainObject(defaults) && isPlainObject(user)) return { ...defaults, ...user };
  return user;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
