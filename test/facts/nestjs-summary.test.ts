import { describe, expect, it } from 'vitest';
import { summarizeFile } from '../../src/core/extract.js';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { PORTABLE_FACTS } from '../../src/facts/portable.js';
import { extractNestRoutes } from '../../src/facts/routes/nestjs.js';
import { NEST_FILE_SUMMARY } from '../../src/facts/routes/nestjs-summary.js';

interface Extraction {
  routes: string[];
  parsed: string[];
}

/**
 * The Nest routes of a repository, extracted twice: with the portable summaries handed over as an extraction thread
 * computes them (copied between threads), and with every selection off (every file parsed and visited). Returns the
 * first, with the files it parsed, after checking both give the same route facts.
 */
function extract(files: Record<string, string>): Extraction {
  const abs = Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t]));
  const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
  const gated = new AnalysisProject('/repo', {}, source);
  for (const [rel, text] of Object.entries(files)) {
    const facts = structuredClone(summarizeFile(`/repo/${rel}`, text, PORTABLE_FACTS, rel).facts ?? {});
    gated.addFile(`/repo/${rel}`, text, { facts });
  }
  const everything = new AnalysisProject('/repo', {}, source, { select: false });
  for (const [rel, text] of Object.entries(files)) everything.addFile(`/repo/${rel}`, text);
  const plain = (project: AnalysisProject) => JSON.parse(JSON.stringify(extractNestRoutes(project), (key, value: unknown) => (key === 'node' ? undefined : value))) as unknown;
  const routes = plain(gated);
  expect(routes).toEqual(plain(everything));
  return {
    routes: extractNestRoutes(gated).map((r) => `${r.methods.join('|')} ${r.path}: ${r.chain.map((s) => `${s.name}=${s.kind}`).join(', ')}`),
    parsed: gated.files().filter((f) => f.isParsed).map((f) => f.relPath),
  };
}

const JWT_GUARD = `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import jwt from 'jsonwebtoken';

@Injectable()
export class JwtGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = request.headers.authorization?.replace('Bearer ', '');
    if (!token) throw new UnauthorizedException();
    request.user = jwt.verify(token, process.env.JWT_SECRET as string, { algorithms: ['HS256'] });
    return true;
  }
}
`;

const MAIN = `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();
`;

/** Files that can add nothing to the application model: they are not parsed. */
const PLAIN_FILES = {
  'src/users/users.service.ts': "import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class UsersService {\n  find() {\n    return [];\n  }\n}\n",
  'src/users/user.entity.ts':
    "import { ApiProperty } from '@nestjs/swagger';\nimport { Column, Entity } from 'typeorm';\n\n@Entity({ name: 'users' })\nexport class User {\n  @ApiProperty()\n  @Column()\n  name!: string;\n}\n",
  'src/users/create-user.dto.ts': "import { ApiProperty } from '@nestjs/swagger';\n\nexport class CreateUserDto {\n  @ApiProperty()\n  name!: string;\n}\n",
  // `register` on another package's module and a `provide` of a string token: neither is RouterModule or APP_GUARD.
  'src/users/users.providers.ts':
    "import { JwtModule } from '@nestjs/jwt';\n\nexport const USERS_JWT = JwtModule.register({ secret: process.env.SECRET });\nexport const USERS_PROVIDERS = [{ provide: 'USERS_REPOSITORY', useValue: {} }];\n",
};

describe('Nest file summaries gate the Nest extraction', () => {
  it('follow decorators and tokens re-exported under other names, a repository decorator applying Module(), and an APP_GUARD provider array built elsewhere', () => {
    const { routes, parsed } = extract({
      'src/http/index.ts': "export { Controller as HttpController, Get as Read, Module as Feature } from '@nestjs/common';\n",
      'src/tokens.ts': "export { APP_GUARD as GLOBAL_GUARD, RouterModule as Routes } from '@nestjs/core';\n",
      'src/plugin.ts': "import { Module, applyDecorators } from '@nestjs/common';\n\nexport function Plugin(metadata: any) {\n  return applyDecorators(Module(metadata));\n}\n",
      'src/auth/jwt.guard.ts': JWT_GUARD,
      // No class, no decorator: only the provider literal, whose token is APP_GUARD under another name.
      'src/auth/auth.providers.ts':
        "import type { Provider } from '@nestjs/common';\nimport { GLOBAL_GUARD } from '../tokens';\nimport { JwtGuard } from './jwt.guard';\n\nexport const AUTH_PROVIDERS: Provider[] = [{ provide: GLOBAL_GUARD, useClass: JwtGuard }];\n",
      // The controller's decorators all come through the repository's barrel; the file names Nest only for swagger.
      'src/admin/admin.controller.ts':
        "import { ApiTags } from '@nestjs/swagger';\nimport { HttpController, Read } from '../http';\n\n@ApiTags('admin')\n@HttpController('users')\nexport class AdminController {\n  @Read()\n  list() {\n    return [];\n  }\n}\n",
      // No Nest import at all: a module through the repository's own decorator.
      'src/admin/admin.plugin.ts': "import { Plugin } from '../plugin';\nimport { AdminController } from './admin.controller';\n\n@Plugin({ controllers: [AdminController] })\nexport class AdminPlugin {}\n",
      'src/app.module.ts':
        "import { ConfigModule } from '@nestjs/config';\nimport { Feature } from './http';\nimport { Routes } from './tokens';\nimport { AdminPlugin } from './admin/admin.plugin';\nimport { AUTH_PROVIDERS } from './auth/auth.providers';\n\n@Feature({ imports: [ConfigModule.forRoot(), AdminPlugin, Routes.register([{ path: 'admin', module: AdminPlugin }])], providers: [...AUTH_PROVIDERS] })\nexport class AppModule {}\n",
      'src/main.ts': MAIN,
      ...PLAIN_FILES,
    });
    expect(routes).toEqual(['GET /api/admin/users: JwtGuard=authentication']);
    expect(parsed).toEqual(expect.arrayContaining(['src/plugin.ts', 'src/auth/auth.providers.ts', 'src/admin/admin.controller.ts', 'src/admin/admin.plugin.ts', 'src/app.module.ts', 'src/main.ts']));
    expect(parsed.filter((file) => Object.hasOwn(PLAIN_FILES, file))).toEqual([]);
  });

  it('let a controller through whose decorator is declared in its own file', () => {
    const { routes, parsed } = extract({
      'src/health.controller.ts':
        "import { Controller as NestController, Get } from '@nestjs/common';\n\nconst Controller = NestController;\n\n@Controller('health')\nexport class HealthController {\n  @Get()\n  check() {\n    return 'ok';\n  }\n}\n",
      ...PLAIN_FILES,
    });
    expect(routes).toEqual(['GET /health: ']);
    expect(parsed).toEqual(['src/health.controller.ts']);
  });

  it('leave a controller out whose file names no Nest package, as the extraction always did', () => {
    const { routes } = extract({
      'src/http.ts': "export { Controller, Get } from '@nestjs/common';\n",
      'src/status.controller.ts': "import { Controller, Get } from './http';\n\n@Controller('status')\nexport class StatusController {\n  @Get()\n  read() {\n    return 'up';\n  }\n}\n",
    });
    expect(routes).toEqual([]);
  });

  it('are plain data: decorators, calls and tokens by the binding the file gives them', () => {
    const text =
      "import * as common from '@nestjs/common';\nimport { APP_GUARD } from '@nestjs/core';\nimport { Plugin } from './plugin';\n\n@common.Controller('a')\nexport class A {}\n\n@Plugin({ providers: [{ provide: APP_GUARD, useClass: A }] })\nexport class B {}\n";
    const facts = summarizeFile('/repo/src/a.ts', text, PORTABLE_FACTS, 'src/a.ts').facts ?? {};
    expect(facts[NEST_FILE_SUMMARY.name]).toEqual({
      appCalls: false,
      registers: [],
      provides: [{ kind: 'import', module: '@nestjs/core', imported: 'APP_GUARD', path: [] }],
      classDecorators: [
        { callee: { kind: 'import', module: '@nestjs/common', imported: '*', path: ['Controller'] }, options: false },
        { callee: { kind: 'import', module: './plugin', imported: 'Plugin', path: [] }, options: true },
      ],
      factories: [],
    });
  });
});
