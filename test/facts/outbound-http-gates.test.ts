import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { CLIENT_REGISTRATIONS, OUTBOUND_HTTP_CALLS } from '../../src/facts/outbound-http.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  // As a scan makes it: portable facts of a file no extraction thread summarised come from a parse whose tree is dropped.
  const project = new AnalysisProject('/repo', {}, source, { portable: PORTABLE_FACTS });
  for (const [p, text] of Object.entries(files)) project.addFile(p, text);
  return project;
}

/** A barrel that every service imports from, which reaches both HTTP client packages (as ever-gauzy's do). */
const BARREL = {
  '/repo/src/shared/index.ts': "export { default as axios } from 'axios';\nexport { HttpModule as Http } from '@nestjs/axios';\nexport * from './cache';\n",
  '/repo/src/shared/cache.ts': 'export const cache = new Map<string, string>();\n',
};

describe('client registrations: files read without a parse first', () => {
  it('finds an interceptor, a renamed module configuration and defaults reached through a barrel', () => {
    const project = memoryProject({
      ...BARREL,
      '/repo/src/clients.ts':
        "import { axios } from './shared';\nexport const users = axios.create({ baseURL: 'http://users' });\nusers.interceptors.request.use((c) => { c.headers.Authorization = `Bearer ${process.env.T}`; return c; });\n",
      '/repo/src/app.module.ts':
        "import { Module } from '@nestjs/common';\nimport { Http } from './shared';\n@Module({ imports: [Http.register({ headers: { Authorization: `Bearer ${process.env.T}` } })] })\nexport class AppModule {}\n",
      '/repo/src/defaults.ts': "import { axios } from './shared';\naxios.defaults.headers.common.Authorization = `Bearer ${process.env.T}`;\n",
    });
    const found = project.projectFact(CLIENT_REGISTRATIONS);
    expect([...found.values()].map((e) => e.state)).toEqual(['present', 'present', 'present']);
    expect([...found.values()].map((e) => e.reason).join('\n')).toMatch(/interceptor in src\/clients\.ts[\s\S]*app\.module\.ts[\s\S]*defaults set in src\/defaults\.ts/);
  });

  it('does not parse a file that reaches the clients through the barrel but names no registration word', () => {
    const project = memoryProject({
      ...BARREL,
      '/repo/src/users.service.ts': "import { cache } from './shared';\nexport class UsersService {\n  find(id: string) { return cache.get(id); }\n  use(id: string) { return this.find(id); }\n}\n",
    });
    expect(project.projectFact(CLIENT_REGISTRATIONS).size).toBe(0);
    expect(project.getFile('/repo/src/users.service.ts')?.isParsed).toBe(false);
  });
});

describe('outbound calls: files whose callees cannot reach a client are not parsed', () => {
  const files = {
    ...BARREL,
    '/repo/src/http.ts': "import { axios } from './shared';\nexport const api = axios.create({ baseURL: 'http://billing' });\n",
    '/repo/src/api/index.ts': "export { api } from '../http';\n",
    '/repo/src/billing.service.ts':
      "import { Injectable } from '@nestjs/common';\nimport { HttpService } from '@nestjs/axios';\nimport { api } from './api';\n@Injectable()\nexport class BillingService {\n  constructor(private readonly http: HttpService) {}\n  charge() { return api.post('/charge', {}); }\n  refund() { return this.http.post('http://billing/refund', {}); }\n}\n",
    '/repo/src/plain.service.ts': "import { cache } from './shared';\nexport class PlainService {\n  get(id: string) { return cache.get(id); }\n  post(id: string) { return cache.set(id, id); }\n}\n",
    '/repo/src/status.ts': "export async function status(url: string) { const res = await fetch(url); return res.ok; }\n",
  };

  it('binds an instance re-exported through a barrel, an injected HttpService and the global fetch', () => {
    const project = memoryProject(files);
    const calls = (p: string) => project.fileFact(OUTBOUND_HTTP_CALLS, project.getFile(p)!).map((c) => `${c.client} ${c.callee}`);
    expect(calls('/repo/src/billing.service.ts')).toEqual(['axios api.post', 'nest-http http.post']);
    expect(calls('/repo/src/status.ts')).toEqual(['fetch fetch']);
  });

  it('leaves a file that reaches the clients through the barrel but calls only other things unparsed', () => {
    const project = memoryProject(files);
    const file = project.getFile('/repo/src/plain.service.ts')!;
    expect(project.fileFact(OUTBOUND_HTTP_CALLS, file)).toEqual([]);
    expect(file.isParsed).toBe(false);
  });

  it('leaves a Nest service calling only other exports of a client package (@nestjs/common) unparsed', () => {
    const project = memoryProject({
      ...files,
      '/repo/src/users.service.ts':
        "import { Injectable, Logger, NotFoundException } from '@nestjs/common';\nimport { cache } from './shared';\n@Injectable()\nexport class UsersService {\n  private readonly logger = new Logger(UsersService.name);\n  get(id: string) { this.logger.log(id); if (!cache.has(id)) throw new NotFoundException(); return cache.get(id); }\n}\n",
    });
    const file = project.getFile('/repo/src/users.service.ts')!;
    expect(project.fileFact(OUTBOUND_HTTP_CALLS, file)).toEqual([]);
    expect(file.isParsed).toBe(false);
  });

  it('still binds the clients found at or under other export paths: the old HttpService, an SDK, gRPC, node:https', () => {
    const project = memoryProject({
      ...files,
      '/repo/src/legacy.service.ts':
        "import { HttpService, Injectable } from '@nestjs/common';\n@Injectable()\nexport class LegacyService {\n  constructor(private readonly http: HttpService) {}\n  ping() { return this.http.get('http://legacy/ping'); }\n}\n",
      '/repo/src/policy.ts':
        "import { OPAClient } from '@styra/opa';\nconst opa = new OPAClient('http://opa:8181');\nexport const allowed = (input: object) => opa.evaluate('authz/allow', input);\n",
      '/repo/src/grpc.ts':
        "import * as grpc from '@grpc/grpc-js';\nconst proto: any = grpc.loadPackageDefinition({});\nconst client = new proto.authz.v1.Authorizer('authz:50051', grpc.credentials.createInsecure());\nexport const check = (req: object) => client.check(req, () => undefined);\n",
      '/repo/src/ping.ts': "import { get } from 'node:https';\nexport const ping = () => get('https://status.example.com/ping');\n",
    });
    const calls = (p: string) => project.fileFact(OUTBOUND_HTTP_CALLS, project.getFile(p)!).map((c) => `${c.client} ${c.callee}`);
    expect(calls('/repo/src/legacy.service.ts')).toEqual(['nest-http http.get']);
    expect(calls('/repo/src/policy.ts')).toEqual(['OPA opa.evaluate']);
    expect(calls('/repo/src/grpc.ts')).toEqual(['gRPC client.check']);
    expect(calls('/repo/src/ping.ts')).toEqual(['node-http get']);
  });
});

describe('outbound calls: client search', () => {
  // c1 is an axios instance; each next name is the one before. From a call's receiver the search follows at most six
  // names, so c6.get() is a request and c7.get() is not, whichever the file asks about first.
  const chain = ['c1 = axios.create()', ...[2, 3, 4, 5, 6, 7].map((i) => `c${i} = c${i - 1}`)].map((d) => `const ${d};`).join('\n');
  const calls = (names: string[]) => names.map((n) => `${n}.get('/users');`).join('\n');
  const found = (names: string[]) => {
    const text = `import axios from 'axios';\n${chain}\n${calls(names)}\n`;
    const project = memoryProject({ '/repo/src/calls.ts': text });
    const file = project.getFile('/repo/src/calls.ts')!;
    return project.fileFact(OUTBOUND_HTTP_CALLS, file).map((c) => c.callee);
  };

  it('gives the same calls whether a search that reached the depth bound came first or not', () => {
    expect(found(['c6', 'c3', 'c7'])).toEqual(['c6.get', 'c3.get']);
    expect(found(['c7', 'c6', 'c3', 'c6'])).toEqual(['c6.get', 'c3.get', 'c6.get']);
    expect(found(['c3', 'c7', 'c6'])).toEqual(['c3.get', 'c6.get']);
  });
});
