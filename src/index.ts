/** authlint's programmatic API. */
export { scan, getScanRoot, PathNotFoundError, type ScanOptions, type ScanResult, type ScanProgress } from './scan.js';
export { defineRule, formatMessage, type RuleDefinition, type RuleMeta, type RuleContext, type RuleListeners, type AnyRule } from './core/rule.js';
export type { Finding, Notification, Level, RuleLevel, ProjectSettings, TokenContract, RelatedLocation, Range } from './core/types.js';
export { loadConfig, resolveRules, ConfigError, formatConfigError, type AuthlintConfig, type LoadedConfig } from './core/config.js';
export { AnalysisProject, DISK_TEXT_SOURCE, type SourceFileInfo, type TextSource } from './core/project.js';
export { runFileRules, runProjectRules, finalizeFindings, type ActiveRule, type EngineResult } from './core/engine.js';
export { getPackageVersion, getPackageRoot } from './core/package-root.js';
export { ALL_RULES } from '../rules/index.js';
// Pieces the ESLint adapter (eslint-plugin/) needs to build the same project as `scan()` around a linted file.
export { mergeOptions, isEnabledByDefault, CONFIG_FILE_NAMES, DEFAULT_MAX_FILE_SIZE, type RuleSetting } from './core/config.js';
export { discoverFiles, PRUNED_FOLDER_NAMES, type DiscoverOptions, type DiscoveredFile } from './core/discover.js';
export { readSourceFile, type ReadOutcome } from './core/read.js';
export { applySuppressions } from './core/suppressions.js';
export { sortFindings } from './core/engine.js';
export { PORTABLE_FACTS } from './facts/portable.js';
