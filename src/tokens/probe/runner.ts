import type { RouteInventoryRow } from '../../core/inventory.js';
import { getFamily, type AttackId } from './families.js';
import type { AttackPlan, AttackRequest } from './attacks.js';

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ProbeOptions {
  baseUrl: URL;
  /** Values of path parameters by name (--param). */
  params: Record<string, string>;
  includeUnsafeMethods: boolean;
  /** Requests per second over the whole run. */
  rate: number;
  timeoutMs: number;
  maxRequestsPerRoute: number;
  /** Set when the run is interrupted: the route in progress stops and a partial report is written. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, route: string) => void;
}

export interface ProbeResponse {
  status: number;
  /** Content type and, for JSON bodies, the sorted key structure: what "the same body shape" compares. */
  shape: string;
}

export interface AcceptedAttack {
  route: RouteInventoryRow;
  request: string;
  attack: AttackRequest;
  response: ProbeResponse;
  /** Whether it was judged by the valid token's answer (true) or by a 2xx status alone. */
  likeControl: boolean;
}

export interface ProbeNote {
  route?: RouteInventoryRow;
  attack?: AttackId;
  message: string;
}

export interface ProbeResult {
  accepted: AcceptedAttack[];
  notes: ProbeNote[];
  routesProbed: number;
  /** Routes whose first request got no HTTP answer (connection refused, timeout): not probed. */
  routesUnreachable: number;
  requests: number;
  interrupted: boolean;
}

const PLACEHOLDER = '1';
const MAX_BODY_BYTES = 64 * 1024;

/** The request path of a route: `:name`, `{name}` and `*` filled from --param or the placeholder; undefined when unresolved. */
export function fillPath(path: string, params: Record<string, string>): { path: string; placeholders: string[] } | undefined {
  if (path.includes('<unresolved>')) return undefined;
  const placeholders: string[] = [];
  const value = (name: string) => {
    if (params[name] !== undefined) return encodeURIComponent(params[name] as string);
    placeholders.push(name);
    return PLACEHOLDER;
  };
  const filled = path
    .replace(/:([A-Za-z_$][\w$]*)(\([^)]*\))?\??/g, (_m, name: string) => value(name))
    .replace(/\{([A-Za-z_$][\w$]*)\}/g, (_m, name: string) => value(name))
    .replace(/\*+/g, () => value('*'));
  return { path: filled, placeholders };
}

function describeShape(value: unknown, depth: number): string {
  if (Array.isArray(value)) return depth > 1 || value.length === 0 ? '[]' : `[${describeShape(value[0], depth + 1)}]`;
  if (value !== null && typeof value === 'object') {
    if (depth > 1) return '{}';
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${describeShape((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`;
  }
  return value === null ? 'null' : typeof value;
}

export function describeBodyShape(contentType: string, body: string): string {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (/json/.test(type)) {
    try {
      return `json ${describeShape(JSON.parse(body), 0)}`;
    } catch {
      return 'json (unparsable)';
    }
  }
  return type === '' ? (body.length === 0 ? 'empty' : 'text') : type;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Sends the attack tokens to every authenticated route, one request at a time. */
export class Prober {
  private lastRequest = 0;
  private requests = 0;

  constructor(private readonly options: ProbeOptions) {}

  private async throttle(): Promise<void> {
    const interval = 1000 / this.options.rate;
    const wait = this.lastRequest + interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastRequest = Date.now();
  }

  async send(method: string, path: string, token: string | undefined): Promise<ProbeResponse | { error: string }> {
    await this.throttle();
    this.requests++;
    const url = new URL(path.replace(/^\/*/, ''), this.options.baseUrl.href.endsWith('/') ? this.options.baseUrl : new URL(`${this.options.baseUrl.href}/`));
    const signals = [AbortSignal.timeout(this.options.timeoutMs), ...(this.options.signal ? [this.options.signal] : [])];
    try {
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: token === undefined ? { accept: 'application/json' } : { accept: 'application/json', authorization: `Bearer ${token}` },
        signal: AbortSignal.any(signals),
      });
      const reader = response.body?.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      while (reader && size < MAX_BODY_BYTES) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.length;
      }
      await reader?.cancel().catch(() => undefined);
      const body = Buffer.concat(chunks).toString('utf8');
      return { status: response.status, shape: describeBodyShape(response.headers.get('content-type') ?? '', body) };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError') return { error: `no answer within ${this.options.timeoutMs} ms` };
      if (name === 'AbortError') return { error: 'interrupted' };
      return { error: (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message };
    }
  }

  async run(routes: readonly RouteInventoryRow[], plan: AttackPlan): Promise<ProbeResult> {
    const result: ProbeResult = { accepted: [], notes: [], routesProbed: 0, routesUnreachable: 0, requests: 0, interrupted: false };
    const targets = routes.filter((r) => r.authentication === 'present');
    for (const [index, route] of targets.entries()) {
      if (this.options.signal?.aborted) {
        result.interrupted = true;
        break;
      }
      const method = route.method.toUpperCase() === 'ALL' ? 'GET' : route.method.toUpperCase();
      const label = `${method} ${route.path}`;
      this.options.onProgress?.(index, targets.length, label);
      if (!SAFE_METHODS.has(method) && !this.options.includeUnsafeMethods) {
        result.notes.push({ route, message: `${label} not probed: ${method} may change data (--include-unsafe-methods sends it)` });
        continue;
      }
      const filled = fillPath(route.path, this.options.params);
      if (!filled) {
        result.notes.push({ route, message: `${label} not probed: its path is not fully known` });
        continue;
      }
      if (filled.placeholders.length > 0) {
        result.notes.push({
          route,
          message: `${label}: path parameter${filled.placeholders.length > 1 ? 's' : ''} ${filled.placeholders.map((p) => `'${p}'`).join(', ')} filled with the placeholder '${PLACEHOLDER}' (--param NAME=VALUE sets a real one)`,
        });
      }
      const outcome = await this.probeRoute(route, method, filled.path, plan, result);
      if (outcome === 'interrupted') {
        result.interrupted = true;
        break;
      }
      if (outcome === 'unreachable') result.routesUnreachable++;
      else result.routesProbed++;
    }
    result.requests = this.requests;
    return result;
  }

  private async probeRoute(route: RouteInventoryRow, method: string, path: string, plan: AttackPlan, result: ProbeResult): Promise<'done' | 'interrupted' | 'unreachable'> {
    const request = `${method} ${path}`;
    let budget = this.options.maxRequestsPerRoute;
    const take = () => budget-- > 0;
    const failed = (r: ProbeResponse | { error: string }): r is { error: string } => 'error' in r;

    if (!take()) return 'done';
    const missing = plan.attacks.find((a) => a.attack === 'missing-token') as AttackRequest;
    const anonymous = await this.send(method, path, undefined);
    if (failed(anonymous)) {
      if (anonymous.error === 'interrupted') return 'interrupted';
      result.notes.push({ route, message: `${request} not probed: ${anonymous.error}` });
      return 'unreachable';
    }
    if (isSuccess(anonymous.status)) {
      result.accepted.push({ route, request, attack: missing, response: anonymous, likeControl: false });
      result.notes.push({ route, message: `${request} answers without a token (HTTP ${anonymous.status}); no further attacks sent` });
      return 'done';
    }

    let control: ProbeResponse | undefined;
    if (plan.control && take()) {
      const answer = await this.send(method, path, plan.control.token);
      if (failed(answer)) {
        if (answer.error === 'interrupted') return 'interrupted';
        result.notes.push({ route, message: `${request}: the valid token got no answer (${answer.error})` });
      } else if (answer.status >= 500) {
        result.notes.push({ route, message: `${request}: the valid token got HTTP ${answer.status}; only 2xx answers count as accepted` });
      } else if (answer.status === anonymous.status && answer.shape === anonymous.shape) {
        const what = plan.control.source === 'token' ? 'the supplied token (--token)' : 'a token signed with --signing-key';
        result.notes.push({ route, message: `${request} rejects ${what} like a request without a token (HTTP ${answer.status}): only 2xx answers count as accepted, and attacks that need a signed token are not judged` });
      } else control = answer;
    }

    for (const attack of plan.attacks) {
      if (attack.attack === 'missing-token') continue;
      const family = getFamily(attack.attack);
      if (family.needsSigningKey && plan.control?.source === 'signing-key' && !control) continue;
      if (!take()) {
        result.notes.push({ route, attack: attack.attack, message: `${request}: request budget of ${this.options.maxRequestsPerRoute} spent; ${family.ruleId} and later attacks not sent` });
        break;
      }
      const answer = await this.send(method, path, attack.token);
      if (failed(answer)) {
        if (answer.error === 'interrupted') return 'interrupted';
        result.notes.push({ route, attack: attack.attack, message: `${request}: ${family.ruleId} got no answer (${answer.error})` });
        continue;
      }
      const likeControl = control !== undefined && answer.status === control.status && answer.shape === control.shape;
      if (isSuccess(answer.status) || likeControl) {
        if (!result.accepted.some((a) => a.route === route && a.attack.attack === attack.attack)) {
          result.accepted.push({ route, request, attack, response: answer, likeControl });
        }
      }
    }
    return 'done';
  }
}
