import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { getPackageVersion } from '../core/package-root.js';
import type { Level } from '../core/types.js';
import type { ReportInput } from '../report/types.js';
import { resolveOutputs, UsageError } from './formats.js';
import type { CliIo } from './io.js';
import { getFormatOption } from './analysis.js';
import { EXIT_FINDINGS, EXIT_OK, hasFailingFindings, writeReport } from './main.js';
import { INFORMATION_URI } from './rule-info.js';
import { getFailOnOption } from './levels.js';

const MAX_JWKS_BYTES = 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

interface JwksCheckOptions {
  format: string[];
  output?: string;
  failOn: Level | 'none';
  quiet?: boolean;
  timeout: string;
}

function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Reads a JWKS from a file or fetches it from a URL (GET, no redirects to other hosts are refused, size-capped). */
export async function loadJwksText(source: string, cwd: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<{ text: string; name: string }> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/jwk-set+json, application/json' } });
    } catch (error) {
      // fetch throws TypeError('fetch failed'); the reason is the cause's code (ECONNREFUSED) or, without one, its message ('bad port').
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      const cause = reason?.code ?? reason?.message ?? (error as Error).name;
      throw new UsageError(`cannot fetch ${source}: ${cause === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause}`);
    }
    if (!response.ok) throw new UsageError(`cannot fetch ${source}: HTTP ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_JWKS_BYTES) throw new UsageError(`${source} is larger than ${MAX_JWKS_BYTES} bytes; not a JWKS`);
    return { text: body.toString('utf8'), name: source };
  }
  const abs = path.resolve(cwd, source);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UsageError(`no such file: ${source}`);
  }
  if (!stat.isFile()) throw new UsageError(`${source} is not a file`);
  if (stat.size > MAX_JWKS_BYTES) throw new UsageError(`${source} is larger than ${MAX_JWKS_BYTES} bytes; not a JWKS`);
  const rel = path.relative(cwd, abs).split(path.sep).join('/');
  return { text: fs.readFileSync(abs, 'utf8').replace(/^\uFEFF/, ''), name: rel.startsWith('../') || path.isAbsolute(rel) ? abs.split(path.sep).join('/') : rel };
}

async function runJwksCheck(io: CliIo, source: string, options: JwksCheckOptions): Promise<number> {
  const outputs = resolveOutputs(options.format, options.output);
  const timeout = Number(options.timeout);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds (got '${options.timeout}')`);
  const { text, name } = await loadJwksText(source, io.cwd, timeout);
  // Loaded here, not with the CLI: it loads the compiler (JSON positions), which a scan whose output comes from the
  // cache never needs on the main thread.
  const { auditJwks, describeJwksChecks, JwksInputError } = await import('../tokens/jwks-audit.js');
  let audit;
  try {
    audit = await auditJwks(text, name);
  } catch (error) {
    if (error instanceof JwksInputError) throw new UsageError(error.message);
    throw error;
  }
  const version = getPackageVersion();
  const input: ReportInput = {
    findings: audit.findings,
    notifications: [],
    rules: describeJwksChecks(),
    sources: new Map([[name, text]]),
    run: {
      toolName: 'authlint',
      toolVersion: version,
      informationUri: INFORMATION_URI,
      root: '.',
      successful: true,
      filesScanned: 1,
      linesScanned: text.split('\n').length,
    },
  };
  for (const target of outputs) writeReport(io, target, input, options);
  return hasFailingFindings(audit, options.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** `authlint jwks check URL|FILE`. */
export function registerJwksCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const jwks = program.command('jwks').description('audit a JSON Web Key Set');
  jwks
    .command('check')
    .description('read a JWKS from a file or fetch it from a URL and report private members, weak keys, curves, kid, use/alg and rotation problems')
    .argument('<source>', 'JWKS file or http(s) URL (a URL is fetched with one GET)')
    .addOption(getFormatOption())
    .option('-o, --output <file>', 'write the (first) report to a file instead of standard output')
    .addOption(getFailOnOption())
    .option('-q, --quiet', 'text report: only findings at or above --fail-on')
    .option('--timeout <ms>', 'time limit for fetching a URL', String(FETCH_TIMEOUT_MS))
    .action(async (source: string, options: JwksCheckOptions) => {
      setExit(await runJwksCheck(io, source, options));
    });
}
