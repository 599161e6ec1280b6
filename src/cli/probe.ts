import { Command, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { importJWK, exportSPKI, type JWK } from 'jose';
import type { RouteInventoryRow } from '../core/inventory.js';
import { getPackageVersion } from '../core/package-root.js';
import type { Finding, Level, Notification } from '../core/types.js';
import type { ReportInput } from '../report/types.js';
import { parseSigningKey, planAttacks, toPublicPem, type AttackPlan, type ProbeKeys } from '../tokens/probe/attacks.js';
import { describeProbeFamilies, getFamily } from '../tokens/probe/families.js';
import { Prober, type AcceptedAttack, type ProbeResult } from '../tokens/probe/runner.js';
import { resolveOutputs, UsageError } from './formats.js';
import type { CliIo } from './io.js';
import { loadJwksText } from './jwks.js';
import { collect, getFormatOption, runAnalysis } from './analysis.js';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, hasFailingFindings, writeReport } from './main.js';
import { INFORMATION_URI } from './rule-info.js';
import { getFailOnOption } from './levels.js';

/** Exit code of a run stopped by SIGINT/SIGTERM after writing the partial report. */
export const EXIT_INTERRUPTED = 130;

interface ProbeCommandOptions {
  baseUrl: string;
  routes?: string;
  format: string[];
  output?: string;
  failOn: Level | 'none';
  quiet?: boolean;
  config?: string;
  token?: string;
  signingKey?: string;
  alg?: string;
  kid?: string;
  publicKey: string[];
  jwks?: string;
  claim: string[];
  param: string[];
  allowRemote?: boolean;
  includeUnsafeMethods?: boolean;
  rate: string;
  timeout: string;
  maxRequestsPerRoute: string;
  progress: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.test(url.hostname);
}

function parsePairs(values: readonly string[], option: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`${option} expects NAME=VALUE (got '${value}')`);
    pairs[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return pairs;
}

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number (got '${value}')`);
  return n;
}

function readInputFile(io: CliIo, file: string, option: string): string {
  try {
    return fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function loadKeys(io: CliIo, options: ProbeCommandOptions, allowRemote: boolean): Promise<ProbeKeys> {
  const keys: ProbeKeys = { publicKeyPems: [], claims: parsePairs(options.claim, '--claim') };
  if (options.token) {
    const token = readInputFile(io, options.token, '--token').trim().replace(/^Bearer\s+/i, '');
    if (token.split('.').length !== 3) throw new UsageError(`--token ${options.token}: not a JWS compact token (three dot-separated segments)`);
    keys.validToken = token;
  }
  if (options.signingKey) {
    try {
      keys.signing = parseSigningKey(readInputFile(io, options.signingKey, '--signing-key'), options.alg, options.kid);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--signing-key ${options.signingKey}: not a usable key (${(error as Error).message})`);
    }
  }
  for (const file of options.publicKey) {
    try {
      keys.publicKeyPems.push(toPublicPem(readInputFile(io, file, '--public-key')));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--public-key ${file}: not a PEM public key, certificate or private key`);
    }
  }
  if (options.jwks) {
    if (/^https?:\/\//i.test(options.jwks) && !allowRemote && !isLoopbackUrl(new URL(options.jwks))) {
      throw new UsageError(`--jwks ${options.jwks} is not a loopback address; add --allow-remote to fetch it`);
    }
    const { text } = await loadJwksText(options.jwks, io.cwd);
    let set: { keys?: unknown };
    try {
      set = JSON.parse(text) as { keys?: unknown };
    } catch {
      throw new UsageError(`--jwks ${options.jwks}: not JSON`);
    }
    for (const jwk of Array.isArray(set.keys) ? (set.keys as JWK[]) : []) {
      if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
      try {
        const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256');
        const { d: _d, ...publicJwk } = jwk;
        const key = await importJWK(publicJwk, alg, { extractable: true });
        if (!(key instanceof Uint8Array)) keys.publicKeyPems.push(`${(await exportSPKI(key)).trimEnd()}\n`);
      } catch {
        // keys jose cannot import are reported by `authlint jwks check`
      }
    }
  }
  return keys;
}

function shorten(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
  if (Array.isArray(value)) return value.map(shorten);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
}

function lineColumnToOffset(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

function toFinding(accepted: AcceptedAttack, sources: Map<string, string>): Finding {
  const family = getFamily(accepted.attack.attack);
  const text = sources.get(accepted.route.file);
  const start = text === undefined ? 0 : lineColumnToOffset(text, accepted.route.line, accepted.route.column);
  const end = text === undefined ? 0 : Math.max(start, text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start));
  const how = accepted.likeControl ? `HTTP ${accepted.response.status}, answered like the valid token` : `HTTP ${accepted.response.status}`;
  const token =
    accepted.attack.attack === 'missing-token'
      ? ''
      : ` Token header ${JSON.stringify(shorten(accepted.attack.header))}, claims ${JSON.stringify(shorten(accepted.attack.claims))}${accepted.attack.note ? ` (${accepted.attack.note})` : ''}.`;
  const message = `${accepted.request} accepted ${family.label} (${how}).${token}`;
  return {
    ruleId: family.ruleId,
    messageId: 'accepted',
    message,
    data: { request: accepted.request, status: accepted.response.status },
    file: accepted.route.file,
    level: family.level,
    start,
    end,
  };
}

function readRouteSources(root: string, rows: readonly RouteInventoryRow[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of new Set(rows.map((r) => r.file))) {
    try {
      sources.set(file, fs.readFileSync(path.resolve(root, file), 'utf8').replace(/^\uFEFF/, ''));
    } catch {
      // a route file that cannot be read is reported without a code frame
    }
  }
  return sources;
}

async function loadRoutes(io: CliIo, paths: string[], options: ProbeCommandOptions): Promise<{ rows: RouteInventoryRow[]; root: string }> {
  if (options.routes) {
    const text = readInputFile(io, options.routes, '--routes');
    let parsed: { routes?: unknown };
    try {
      parsed = JSON.parse(text) as { routes?: unknown };
    } catch {
      throw new UsageError(`--routes ${options.routes}: not JSON (write it with 'authlint routes --format json')`);
    }
    if (!Array.isArray(parsed.routes)) throw new UsageError(`--routes ${options.routes}: no 'routes' array (write it with 'authlint routes --format json')`);
    const root = paths[0] ? path.resolve(io.cwd, paths[0]) : io.cwd;
    return { rows: parsed.routes as RouteInventoryRow[], root };
  }
  const outcome = await runAnalysis(io, paths, { ...(options.config ? { config: options.config } : {}), quiet: true, progress: false, include: [], exclude: [] }, 'routes');
  return { rows: outcome.inventory?.routes ?? [], root: outcome.result.root };
}

function buildNotifications(result: ProbeResult): Notification[] {
  return result.notes.map((note) => ({
    kind: 'probe',
    level: 'note',
    message: note.message,
    ...(note.attack ? { ruleId: getFamily(note.attack).ruleId } : {}),
  }));
}

async function runProbe(io: CliIo, paths: string[], options: ProbeCommandOptions): Promise<number> {
  const outputs = resolveOutputs(options.format, options.output);
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new UsageError(`--base-url '${options.baseUrl}' is not a URL`);
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') throw new UsageError(`--base-url must be http or https (got ${baseUrl.protocol})`);
  if (!isLoopbackUrl(baseUrl) && !options.allowRemote) {
    throw new UsageError(`--base-url ${baseUrl.host} is not a loopback address; probing another host needs --allow-remote`);
  }
  const rate = positiveNumber(options.rate, '--rate');
  const timeoutMs = positiveNumber(options.timeout, '--timeout');
  const maxRequestsPerRoute = Math.floor(positiveNumber(options.maxRequestsPerRoute, '--max-requests-per-route'));
  // Registered before the scan: an interrupt at any point still writes the (partial) report.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let rows: RouteInventoryRow[];
  let root: string;
  let plan: AttackPlan;
  let result: ProbeResult;
  try {
    const keys = await loadKeys(io, options, options.allowRemote === true);
    ({ rows, root } = await loadRoutes(io, paths, options));
    plan = await planAttacks(keys);

    const showProgress = options.progress && io.stderr.isTTY === true && io.env['CI'] === undefined;
    result = await new Prober({
      baseUrl,
      params: parsePairs(options.param, '--param'),
      includeUnsafeMethods: options.includeUnsafeMethods === true,
      rate,
      timeoutMs,
      maxRequestsPerRoute,
      signal: controller.signal,
      ...(showProgress ? { onProgress: (done, total, route) => io.stderr.write(`\r\u001b[Kauthlint: probing ${done + 1}/${total}  ${route}`.slice(0, 100)) } : {}),
    }).run(rows, plan);
    if (showProgress) io.stderr.write('\r\u001b[K');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }

  const sources = readRouteSources(root, rows);
  const findings = result.accepted
    .map((a) => toFinding(a, sources))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  const notifications = buildNotifications(result);
  for (const skipped of plan.skipped) {
    notifications.push({ kind: 'probe', level: 'note', ruleId: getFamily(skipped.attack).ruleId, message: `${getFamily(skipped.attack).ruleId} skipped: ${skipped.reason}` });
  }
  if (rows.filter((r) => r.authentication === 'present').length === 0) {
    notifications.push({ kind: 'probe', level: 'warning', message: 'the route inventory has no authenticated route: nothing was probed' });
  }
  if (result.interrupted) {
    notifications.push({ kind: 'probe', level: 'error', message: `interrupted: partial report after ${result.routesProbed} probed routes and ${result.requests} requests` });
  }
  // Nothing answered: the service is not running at the base URL (or not reachable). Reporting
  // "0 accepted attacks" would pass a CI job that tested nothing, so the run fails with exit 2.
  const nothingAnswered = result.routesProbed === 0 && result.routesUnreachable > 0;
  if (nothingAnswered) {
    notifications.push({
      kind: 'probe',
      level: 'error',
      message: `no route of ${baseUrl.origin} answered (${result.routesUnreachable} tried): is the service running there? Nothing was probed`,
    });
  }
  const input: ReportInput = {
    findings,
    notifications,
    rules: describeProbeFamilies(),
    sources: new Map([...sources].filter(([file]) => findings.some((f) => f.file === file))),
    run: {
      toolName: 'authlint',
      toolVersion: getPackageVersion(),
      informationUri: INFORMATION_URI,
      root: path.relative(io.cwd, root).split(path.sep).join('/') || '.',
      successful: !result.interrupted && !nothingAnswered,
      filesScanned: sources.size,
      linesScanned: [...sources.values()].reduce((sum, text) => sum + text.split('\n').length, 0),
    },
  };
  for (const target of outputs) writeReport(io, target, input, options);
  if (!options.quiet) {
    io.stderr.write(`authlint: probed ${result.routesProbed} routes of ${baseUrl.origin} with ${result.requests} requests${result.routesUnreachable > 0 ? ` (${result.routesUnreachable} without an answer)` : ''}; ${findings.length} accepted attack${findings.length === 1 ? '' : 's'}\n`);
  }
  if (result.interrupted) return EXIT_INTERRUPTED;
  if (nothingAnswered) return EXIT_ERROR;
  return hasFailingFindings({ findings }, options.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** `authlint probe`: sends forged tokens to the authenticated routes of a running service. */
export function registerProbeCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('probe')
    .description('send forged and broken JWTs to the authenticated routes of a running service (from the route inventory) and report what it accepts')
    .argument('[paths...]', 'service source for the route inventory (default: the current folder); with --routes, the root its paths are relative to')
    .requiredOption('--base-url <url>', 'where the service runs, e.g. http://127.0.0.1:3000 (loopback only without --allow-remote)')
    .option('--routes <file>', "route inventory from 'authlint routes --format json' instead of scanning")
    .addOption(getFormatOption())
    .option('-o, --output <file>', 'write the (first) report to a file instead of standard output')
    .addOption(getFailOnOption())
    .option('-q, --quiet', 'text report: only findings at or above --fail-on; no summary line')
    .option('-c, --config <path>', 'configuration file for the scan that builds the route inventory')
    .option('--token <file>', 'a valid token for the service (checks that it is accepted; minted tokens copy its claims)')
    .option('--signing-key <file>', 'the test environment signing key: PEM private key, private JWK, or a file holding an HMAC secret')
    .option('--alg <alg>', 'algorithm for tokens signed with --signing-key (default: from the key)')
    .option('--kid <kid>', "'kid' header for tokens signed with --signing-key")
    .addOption(new Option('--public-key <file>', 'the service public key (PEM), for algorithm confusion; repeatable').argParser(collect).default([], 'none'))
    .option('--jwks <url|file>', 'the service JWKS, for algorithm confusion')
    .addOption(new Option('--claim <name=value>', 'claim added to every minted token (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--param <name=value>', 'value of a path parameter (repeatable); others get a placeholder').argParser(collect).default([], 'none'))
    .option('--allow-remote', 'allow a base URL or JWKS URL outside the loopback addresses')
    .option('--include-unsafe-methods', 'also probe POST, PUT, PATCH and DELETE routes (a forged token that gets through changes data)')
    .option('--rate <n>', 'at most this many requests per second', '10')
    .option('--timeout <ms>', 'time limit of each request', '5000')
    .option('--max-requests-per-route <n>', 'request budget of each route', '30')
    .option('--no-progress', 'never show progress on stderr')
    .action(async (paths: string[], options: ProbeCommandOptions) => {
      setExit(await runProbe(io, paths, options));
    });
}
