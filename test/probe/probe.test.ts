import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTree, runCli } from '../cli/support.js';
import type { TrustedIssuer, Variant } from './services/keys.js';
import { startOrdersService } from './services/express/server.js';
import { startInvoicesService } from './services/fastify/server.js';
import { startReportsService } from './services/nestjs/server.js';

const SERVICES = path.join(import.meta.dirname, 'services');
const issuerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const TRUSTED: TrustedIssuer = {
  kid: 'orders-2025',
  publicKeyPem: issuerKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  issuer: 'https://id.example.test/',
  audience: 'reporting-api',
};
const KEY_FILES = {
  'issuer-private.pem': issuerKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'issuer-public.pem': TRUSTED.publicKeyPem,
};

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

interface Report {
  findings: Array<{ ruleId: string; file: string; line: number; message: string }>;
  notifications: Array<{ kind: string; message: string; ruleId?: string }>;
}

async function probe(service: string, port: number, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const cwd = makeTree(KEY_FILES);
  const run = await runCli(
    [
      'probe',
      path.join(SERVICES, service),
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--signing-key',
      'issuer-private.pem',
      '--kid',
      TRUSTED.kid,
      '--public-key',
      'issuer-public.pem',
      '--claim',
      `iss=${TRUSTED.issuer}`,
      '--claim',
      `aud=${TRUSTED.audience}`,
      '--rate',
      '1000',
      '--timeout',
      '3000',
      '--format',
      'json',
      ...extra,
    ],
    { cwd },
  );
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

/** The route was really probed: the control token signed with the issuer key got through. */
function expectControlAccepted(run: { report: Report; stderr: string }): void {
  expect(run.stderr).toMatch(/probed 1 routes of http:\/\/127\.0\.0\.1:\d+ with \d+ requests/);
  expect(run.report.notifications.filter((n) => /valid token|rejects/.test(n.message))).toEqual([]);
}

function acceptedAttacks(report: Report): string[] {
  return [...new Set(report.findings.map((f) => f.ruleId))].sort();
}

async function startExpress(variant: Variant): Promise<number> {
  const server = await startOrdersService(variant, TRUSTED);
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

async function startFastify(variant: Variant): Promise<number> {
  const app = await startInvoicesService(variant, TRUSTED);
  stops.push(() => app.close());
  return (app.server.address() as AddressInfo).port;
}

async function startNest(variant: Variant): Promise<number> {
  const app = await startReportsService(variant, TRUSTED);
  stops.push(() => app.close());
  return (app.getHttpServer().address() as AddressInfo).port;
}

describe('authlint probe against running services', () => {
  it('Express + jsonwebtoken, vulnerable: lets none, a foreign iss and aud, and an embedded jwk through, at the route registration', async () => {
    const { code, report } = await probe('express', await startExpress('vulnerable'));
    expect(acceptedAttacks(report)).toEqual([
      'probe-accepts-embedded-jwk',
      'probe-accepts-none-algorithm',
      'probe-accepts-wrong-audience',
      'probe-accepts-wrong-issuer',
    ]);
    expect(code).toBe(1);
    const none = report.findings.find((f) => f.ruleId === 'probe-accepts-none-algorithm');
    expect(none).toMatchObject({ file: 'server.ts', line: 44 });
    expect(none?.message).toMatch(/^GET \/api\/orders\/1 accepted an unsigned token with alg 'none' \(HTTP 200, answered like the valid token\)\. Token header \{"alg":"none","typ":"JWT"\}/);
    expect(report.notifications.map((n) => n.message)).toContain(
      "DELETE /api/orders/:orderId not probed: DELETE may change data (--include-unsafe-methods sends it)",
    );
    expect(report.notifications.map((n) => n.message)).toContain(
      "GET /api/orders/:orderId: path parameter 'orderId' filled with the placeholder '1' (--param NAME=VALUE sets a real one)",
    );
  });

  it('Express + jsonwebtoken, fixed: lets nothing through', async () => {
    const run = await probe('express', await startExpress('fixed'));
    expect(acceptedAttacks(run.report)).toEqual([]);
    expectControlAccepted(run);
    expect(run.code).toBe(0);
  });

  it('Fastify + @fastify/jwt, vulnerable: lets expired and not-yet-valid tokens, an unknown kid and a foreign iss and aud through', async () => {
    const { report } = await probe('fastify', await startFastify('vulnerable'));
    expect(acceptedAttacks(report)).toEqual([
      'probe-accepts-expired-token',
      'probe-accepts-immature-token',
      'probe-accepts-unknown-kid',
      'probe-accepts-wrong-audience',
      'probe-accepts-wrong-issuer',
    ]);
  });

  it('Fastify + @fastify/jwt, fixed: lets nothing through', async () => {
    const run = await probe('fastify', await startFastify('fixed'));
    expect(acceptedAttacks(run.report)).toEqual([]);
    expectControlAccepted(run);
  });

  it('NestJS + passport-jwt, vulnerable: takes the algorithm from the token (public key as HMAC secret), ignores exp, kid, iss and aud', async () => {
    const { report } = await probe('nestjs', await startNest('vulnerable'));
    expect(acceptedAttacks(report)).toEqual([
      'probe-accepts-algorithm-confusion',
      'probe-accepts-expired-token',
      'probe-accepts-unknown-kid',
      'probe-accepts-wrong-audience',
      'probe-accepts-wrong-issuer',
    ]);
    expect(report.findings.every((f) => f.message.startsWith('GET /api/reports/1 '))).toBe(true);
  });

  it('NestJS + passport-jwt, fixed: lets nothing through', async () => {
    const run = await probe('nestjs', await startNest('fixed'));
    expect(acceptedAttacks(run.report)).toEqual([]);
    expectControlAccepted(run);
  });

  it('without a signing key or public key, lists the attacks that need them as skipped and still runs the others', async () => {
    const port = await startExpress('vulnerable');
    const cwd = makeTree();
    const run = await runCli(['probe', path.join(SERVICES, 'express'), '--base-url', `http://127.0.0.1:${port}`, '--rate', '1000', '--format', 'json'], { cwd });
    const report = JSON.parse(run.stdout) as Report;
    expect(acceptedAttacks(report)).toEqual(['probe-accepts-embedded-jwk', 'probe-accepts-none-algorithm']);
    expect(report.notifications.filter((n) => n.message.includes('skipped')).map((n) => n.ruleId)).toEqual([
      'probe-accepts-expired-token',
      'probe-accepts-immature-token',
      'probe-accepts-wrong-issuer',
      'probe-accepts-wrong-audience',
      'probe-accepts-unknown-kid',
      'probe-accepts-algorithm-confusion',
    ]);
  });

  it('sends unsafe methods only when asked, with --param values, and writes SARIF at the registration', async () => {
    const port = await startExpress('vulnerable');
    const cwd = makeTree(KEY_FILES);
    const args = ['probe', path.join(SERVICES, 'express'), '--base-url', `http://localhost:${port}`, '--rate', '1000', '--format', 'sarif'];
    const run = await runCli([...args, '--include-unsafe-methods', '--param', 'orderId=42'], { cwd });
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const results = sarif.runs[0]?.results ?? [];
    const deleted = results.find((r) => r.message.text.startsWith('DELETE /api/orders/42 accepted an unsigned token'));
    expect(deleted?.ruleId).toBe('probe-accepts-none-algorithm');
    expect(deleted?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('server.ts');
    expect(deleted?.locations[0]?.physicalLocation.region.startLine).toBe(47);
    expect(run.code).toBe(1);
  });

  it('reads a saved route inventory (--routes) and takes the public keys for algorithm confusion from a JWKS file (--jwks)', async () => {
    const port = await startNest('vulnerable');
    const cwd = makeTree(KEY_FILES);
    const inventory = await runCli(['routes', path.join(SERVICES, 'nestjs'), '--format', 'json', '--output', 'routes.json'], { cwd });
    expect(inventory.code).toBe(0);
    const jwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: TRUSTED.kid, use: 'sig', alg: 'RS256' };
    fs.writeFileSync(path.join(cwd, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
    const run = await runCli(
      ['probe', path.join(SERVICES, 'nestjs'), '--routes', 'routes.json', '--jwks', 'jwks.json', '--base-url', `http://127.0.0.1:${port}`, '--rate', '1000', '--format', 'json'],
      { cwd },
    );
    const report = JSON.parse(run.stdout) as Report;
    expect(acceptedAttacks(report)).toEqual(['probe-accepts-algorithm-confusion']);
    expect(report.findings[0]).toMatchObject({ file: 'server.ts' });
  });

  it('refuses a base URL outside loopback without --allow-remote, before sending anything', async () => {
    const cwd = makeTree();
    const run = await runCli(['probe', path.join(SERVICES, 'express'), '--base-url', 'http://192.0.2.10:8080'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('authlint: --base-url 192.0.2.10:8080 is not a loopback address; probing another host needs --allow-remote\n');
  });

  it('fails with exit 2 when nothing answers at the base URL, instead of passing with no accepted attack', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const cwd = makeTree();
    const run = await runCli(['probe', path.join(SERVICES, 'express'), '--base-url', `http://127.0.0.1:${port}`, '--rate', '1000', '--format', 'json'], { cwd });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.notifications.some((n) => n.message.startsWith(`no route of http://127.0.0.1:${port} answered`))).toBe(true);
    expect(run.stderr).toMatch(/probed 0 routes .* \(\d+ without an answer\)/);
  });
});
