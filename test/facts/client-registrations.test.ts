import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { CLIENT_REGISTRATIONS } from '../../src/facts/outbound-http.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
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
