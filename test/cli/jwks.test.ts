import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { makeTree, runCli } from './support.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RSA_PUBLIC = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', use: 'sig', alg: 'RS256' };
const EC_PUBLIC = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', use: 'sig', alg: 'ES256' };
const EC_PRIVATE = { ...(await exportJWK(ec.privateKey)), kid: 'ec-1', use: 'sig', alg: 'ES256' };

const CLEAN = JSON.stringify({ keys: [RSA_PUBLIC, EC_PUBLIC] }, null, 2);
const LEAKED = JSON.stringify({ keys: [RSA_PUBLIC, EC_PRIVATE] }, null, 2);
const SINGLE = JSON.stringify({ keys: [RSA_PUBLIC] }, null, 2);

async function withServer<T>(body: string, status: number, run: (url: string) => Promise<T>): Promise<T> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('authlint jwks check', () => {
  it('exits 0 on a clean set of two public keys', async () => {
    const cwd = makeTree({ 'jwks.json': CLEAN });
    const run = await runCli(['jwks', 'check', 'jwks.json'], { cwd });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('exits 1 and names the private member in the text report with a code frame', async () => {
    const cwd = makeTree({ 'keys/jwks.json': LEAKED });
    const run = await runCli(['jwks', 'check', 'keys/jwks.json'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('keys/jwks.json');
    expect(run.stdout).toMatch(/error +Key #2 'ec-1' \(EC\) publishes the private members 'd'.*jwks-no-private-key-material/);
    expect(run.stdout).toContain('"d": "');
  });

  it('notes a single key, failing only with --fail-on note', async () => {
    const cwd = makeTree({ 'jwks.json': SINGLE });
    expect((await runCli(['jwks', 'check', 'jwks.json'], { cwd })).code).toBe(0);
    const strict = await runCli(['jwks', 'check', 'jwks.json', '--fail-on', 'note', '--format', 'json'], { cwd });
    expect(strict.code).toBe(1);
    const report = JSON.parse(strict.stdout) as { findings: Array<{ ruleId: string; level: string; file: string; line: number }> };
    expect(report.findings.map((f) => [f.ruleId, f.level, f.file, f.line])).toEqual([['jwks-single-key', 'note', 'jwks.json', 2]]);
  });

  it('fetches a URL and locates SARIF results at that URL', async () => {
    const cwd = makeTree();
    const { run, url } = await withServer(LEAKED, 200, async (url) => ({ run: await runCli(['jwks', 'check', url, '--format', 'sarif'], { cwd }), url }));
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }> }> };
    const [result] = sarif.runs[0]?.results ?? [];
    expect(result?.ruleId).toBe('jwks-no-private-key-material');
    expect(result?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: url });
    expect(sarif.runs[0]?.tool.driver.rules.map((r) => r.id)).toContain('jwks-no-weak-rsa-key');
  });

  it('exits 2 with one clear line on a missing file, bad JSON, a failed fetch or a document that is not a JWKS', async () => {
    const cwd = makeTree({ 'broken.json': '{"keys": [', 'config.json': '{"port": 3000}' });
    const missing = await runCli(['jwks', 'check', 'absent.json'], { cwd });
    expect([missing.code, missing.stderr]).toEqual([2, 'authlint: no such file: absent.json\n']);
    const broken = await runCli(['jwks', 'check', 'broken.json'], { cwd });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^authlint: broken\.json is not JSON: .+\n$/);
    const notJwks = await runCli(['jwks', 'check', 'config.json'], { cwd });
    expect(notJwks.stderr).toBe("authlint: config.json is not a JWKS: it has no 'keys' array and is not a JWK\n");
    const notFound = await withServer('nope', 404, (url) => runCli(['jwks', 'check', url], { cwd }));
    expect(notFound.code).toBe(2);
    expect(notFound.stderr).toMatch(/cannot fetch http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json: HTTP 404\n$/);
  });

  it('says why a fetch failed when the error has no code (a port fetch refuses to use)', async () => {
    const blocked = await runCli(['jwks', 'check', 'http://127.0.0.1:1/jwks.json'], { cwd: makeTree({}) });
    expect([blocked.code, blocked.stderr]).toEqual([2, 'authlint: cannot fetch http://127.0.0.1:1/jwks.json: bad port\n']);
  });
});
