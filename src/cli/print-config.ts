import path from 'node:path';
import { DEFAULT_MAX_FILE_SIZE, loadConfig, resolveRules } from '../core/config.js';
import type { AnyRule } from '../core/rule.js';
import { displayPath, resolveScanPaths } from './analysis.js';
import type { CliIo } from './io.js';

interface PrintConfigOptions {
  config?: string;
  include: string[];
  exclude: string[];
}

/**
 * `scan --print-config`: the configuration a scan of these paths would use, as JSON: the file it came
 * from, the command-line globs added to the file's, and every rule with its level and merged options
 * ("off" for rules that would not run). Nothing is scanned.
 */
export function formatEffectiveConfig(io: CliIo, paths: readonly string[], options: PrintConfigOptions, rules: readonly AnyRule[]): string {
  const { root } = resolveScanPaths(io, paths);
  const loaded = loadConfig(root, options.config === undefined ? undefined : path.resolve(io.cwd, options.config));
  const { config } = loaded;
  const active = new Map(resolveRules(config, rules, loaded.file).map((a) => [a.rule.id, a]));
  const effective = {
    root: displayPath(io.cwd, root),
    configFile: loaded.file === undefined ? null : displayPath(io.cwd, loaded.file),
    include: [...(config.include ?? []), ...options.include],
    exclude: [...(config.exclude ?? []), ...options.exclude],
    maxFileSize: config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    project: config.project ?? {},
    rules: Object.fromEntries(
      [...rules]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((rule) => {
          const entry = active.get(rule.id);
          return [rule.id, entry ? [entry.level, entry.options] : 'off'];
        }),
    ),
  };
  return `${JSON.stringify(effective, null, 2)}\n`;
}
