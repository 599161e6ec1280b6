import path from 'node:path';

/** `settings.authlint` in the ESLint config. */
export interface AdapterSettings {
  /** The scan root, as `authlint scan <root>`; default: the nearest folder with an authlint config, package.json or .git. */
  root?: string;
  /** An authlint config file, as `authlint scan --config`; default: searched from the root upwards like the CLI. */
  configFile?: string;
  /** How long (ms) the project around a linted file is trusted before files on disk are checked for changes. */
  refreshInterval: number;
  /** Reuse the TypeScript AST of @typescript-eslint/parser instead of parsing again; only when the TypeScript versions match. */
  reuseTypeScriptAst: boolean;
}

export const DEFAULT_REFRESH_INTERVAL = 1000;

export function readAdapterSettings(settings: Readonly<Record<string, unknown>> | undefined, cwd: string): AdapterSettings {
  const raw = settings?.['authlint'];
  const own = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const root = own['root'];
  const configFile = own['configFile'];
  const refreshInterval = own['refreshInterval'];
  return {
    ...(typeof root === 'string' ? { root: path.resolve(cwd, root) } : {}),
    ...(typeof configFile === 'string' ? { configFile: path.resolve(cwd, configFile) } : {}),
    refreshInterval: typeof refreshInterval === 'number' && refreshInterval >= 0 ? refreshInterval : DEFAULT_REFRESH_INTERVAL,
    reuseTypeScriptAst: own['reuseTypeScriptAst'] === true,
  };
}
