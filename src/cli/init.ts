import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { InitSuggestions } from '../facts/routes/suggestions.js';
import { displayPath, resolveScanPaths, runAnalysis } from './analysis.js';
import { UsageError } from './formats.js';
import type { CliIo } from './io.js';

export const INIT_CONFIG_FILE = 'authlint.config.json';
/** Where the schema is once authlint is a dev dependency of the repository. */
export const INIT_SCHEMA_PATH = './node_modules/authlint/schema/authlint.config.schema.json';

interface InitConfig {
  $schema: string;
  project?: {
    authenticationMiddleware?: string[];
    authorizationMiddleware?: string[];
    publicRoutes?: string[];
  };
}

/** The configuration `authlint init` writes: only what the repository suggests, nothing invented. */
export function buildInitConfig(suggestions: InitSuggestions): InitConfig {
  const names = (kind: 'authentication' | 'authorization') => suggestions.middleware.filter((m) => m.kind === kind).map((m) => m.name);
  const authentication = names('authentication');
  const authorization = names('authorization');
  const publicRoutes = suggestions.publicRoutes.map((p) => p.pattern);
  const project = {
    ...(authentication.length > 0 ? { authenticationMiddleware: authentication } : {}),
    ...(authorization.length > 0 ? { authorizationMiddleware: authorization } : {}),
    ...(publicRoutes.length > 0 ? { publicRoutes } : {}),
  };
  return { $schema: INIT_SCHEMA_PATH, ...(Object.keys(project).length > 0 ? { project } : {}) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The companion note: why each entry is there and what to check before committing it. */
export function formatInitNote(suggestions: InitSuggestions, file: string): string {
  const out: string[] = [`Wrote ${file}.`, ''];
  out.push(`Frameworks with routes: ${suggestions.frameworks.length > 0 ? suggestions.frameworks.join(', ') : 'none found'}.`);
  out.push(`JWT libraries in package.json: ${suggestions.jwtLibraries.length > 0 ? suggestions.jwtLibraries.join(', ') : 'none'}.`);
  for (const kind of ['authentication', 'authorization'] as const) {
    const list = suggestions.middleware.filter((m) => m.kind === kind);
    if (list.length === 0) continue;
    out.push('', `project.${kind}Middleware: unresolved middleware whose name suggests ${kind}. Keep only what really ${kind === 'authentication' ? 'rejects requests without valid credentials' : 'checks roles, scopes or ownership'}:`);
    for (const m of list) out.push(`  ${m.name}  (guards ${plural(m.routes, 'route')}; first use ${m.file}:${m.line})`);
  }
  if (suggestions.publicRoutes.length > 0) {
    out.push('', 'project.publicRoutes: read-only routes without authentication that often serve public content. Remove any that must require login:');
    for (const p of suggestions.publicRoutes) out.push(`  ${p.pattern}  (${p.routes.slice(0, 3).join(', ')}${p.routes.length > 3 ? `, and ${p.routes.length - 3} more` : ''})`);
  }
  if (suggestions.middleware.length === 0 && suggestions.publicRoutes.length === 0) {
    out.push('', 'Nothing to configure was found: every middleware on the routes was classified, and no unauthenticated route looks public by design.');
  }
  out.push('', 'Next: authlint routes (check the inventory), then authlint scan.');
  return `${out.join('\n')}\n`;
}

export function registerInitCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('init')
    .description(`inspect the repository and write an ${INIT_CONFIG_FILE} with the detected middleware and public routes`)
    .argument('[path]', 'service folder (default: the current folder)')
    .option('--force', `overwrite an existing ${INIT_CONFIG_FILE}`)
    .option('--no-progress', 'never show progress on stderr')
    .action(async (target: string | undefined, options: { force?: boolean; progress: boolean }) => {
      const { root } = resolveScanPaths(io, target ? [target] : []);
      if (!fs.statSync(root).isDirectory()) throw new UsageError(`init needs a folder, and ${target ?? '.'} is a file`);
      const file = path.join(root, INIT_CONFIG_FILE);
      const shown = displayPath(io.cwd, file);
      if (fs.existsSync(file) && !options.force) throw new UsageError(`${shown} already exists; authlint init never overwrites it without --force`);
      // Suggestions start from no configuration: what is already configured would otherwise be classified and left out.
      const { suggestions } = await runAnalysis(io, [root], { configObject: {}, progress: options.progress, include: [], exclude: [] }, 'init');
      const result = suggestions ?? { frameworks: [], jwtLibraries: [], middleware: [], publicRoutes: [] };
      fs.writeFileSync(file, `${JSON.stringify(buildInitConfig(result), null, 2)}\n`);
      io.stdout.write(formatInitNote(result, shown));
      setExit(0);
    });
}
