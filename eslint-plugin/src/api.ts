import type * as Authlint from 'authlint';

/** The parts of authlint's public API the adapter uses; injected so tests can run against authlint's sources. */
export type AuthlintApi = Pick<
  typeof Authlint,
  | 'ALL_RULES'
  | 'AnalysisProject'
  | 'CONFIG_FILE_NAMES'
  | 'DEFAULT_MAX_FILE_SIZE'
  | 'applySuppressions'
  | 'discoverFiles'
  | 'formatConfigError'
  | 'getPackageRoot'
  | 'getPackageVersion'
  | 'isEnabledByDefault'
  | 'loadConfig'
  | 'mergeOptions'
  | 'PORTABLE_FACTS'
  | 'PRUNED_FOLDER_NAMES'
  | 'readSourceFile'
  | 'resolveRules'
  | 'runFileRules'
  | 'runProjectRules'
  | 'sortFindings'
>;

export type AnyRule = Authlint.AnyRule;
export type ActiveRule = Authlint.ActiveRule;
export type AuthlintConfig = Authlint.AuthlintConfig;
export type Finding = Authlint.Finding;
export type Notification = Authlint.Notification;
export type SourceFileInfo = Authlint.SourceFileInfo;
export type TextSource = Authlint.TextSource;
export type AnalysisProject = InstanceType<typeof Authlint.AnalysisProject>;
export type TsSourceFile = SourceFileInfo['sourceFile'];
