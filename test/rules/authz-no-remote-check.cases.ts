import type { RuleCases } from '../support/rule-cases.js';

export const cases: RuleCases = {
  valid: [
    {
      name: 'OPA sidecar on localhost',
      code: `import express from 'express';
const app = express();
app.get('/orders/:id', async (req, res, next) => {
  const r = await fetch('http://localhost:8181/v1/data/orders/allow', { method: 'POST', body: JSON.stringify({ input: { path: req.path } }) });
  return (await r.json()).result ? next() : res.sendStatus(403);
}, (req, res) => res.json({}));
`,
    },
    {
      name: 'OPA URL from a variable whose default is the local sidecar',
      code: `import express from 'express';
import axios from 'axios';
const OPA = process.env.OPA_URL || 'http://127.0.0.1:8181';
const app = express();
app.get('/orders/:id', async (req, res) => {
  const { data } = await axios.post(\`\${OPA}/v1/data/orders/allow\`, { input: {} });
  res.json(data);
});
`,
    },
    {
      name: 'in-process CASL check',
      code: `import express from 'express';
import { createMongoAbility } from '@casl/ability';
const app = express();
app.delete('/posts/:id', (req, res) => {
  const ability = createMongoAbility([{ action: 'delete', subject: 'Post' }]);
  res.sendStatus(ability.can('delete', 'Post') ? 204 : 403);
});
`,
    },
    {
      name: 'policy bundle fetched at start-up and on a timer',
      code: `import express from 'express';
let policy: unknown;
async function loadPolicy() {
  policy = await (await fetch(\`\${process.env.POLICY_SERVICE_URL}/bundles/main\`)).json();
}
void loadPolicy();
setInterval(loadPolicy, 60000);
const app = express();
app.get('/orders', (req, res) => res.json({ policy }));
`,
    },
    {
      name: 'a refresh scheduled from a handler runs later, not in the request',
      code: `import express from 'express';
const app = express();
app.post('/admin/policies/reload', (req, res) => {
  setTimeout(() => fetch(\`\${process.env.AUTHZ_SERVICE_URL}/bundles\`), 0);
  res.sendStatus(202);
});
`,
    },
    {
      name: 'permission service called from a job outside any route',
      code: `import axios from 'axios';
export async function nightlySync() {
  return axios.get(\`\${process.env.PERMISSIONS_SERVICE_URL}/export\`);
}
`,
    },
    {
      name: 'a handler calling an unrelated internal service',
      code: `import express from 'express';
const app = express();
app.get('/orders/:id', async (req, res) => {
  const r = await fetch(\`\${process.env.INVENTORY_SERVICE_URL}/stock/\${req.params.id}\`);
  res.json(await r.json());
});
`,
    },
    {
      name: 'an OAuth function calling a public token endpoint',
      code: `import express from 'express';
import axios from 'axios';
async function authorize(code: string) {
  return axios.post('https://github.com/login/oauth/access_token', { code });
}
const app = express();
app.get('/auth/github/callback', async (req, res) => res.json(await authorize(String(req.query.code))));
`,
    },
    {
      name: 'a handler importing permission data into the permissions service is not a check',
      code: `import express from 'express';
import axios from 'axios';
const app = express();
app.post('/admin/roles/import', async (req, res) => {
  await axios.post(\`\${process.env.PERMISSIONS_SERVICE_URL}/role-permissions/import\`, req.body, { headers: { authorization: req.headers.authorization } });
  res.sendStatus(202);
});
`,
    },
    {
      name: 'gRPC: a permission service on loopback (a sidecar), and a non-permission gRPC service called per request',
      code: `import express from 'express';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
const proto: any = grpc.loadPackageDefinition(protoLoader.loadSync('protos/services.proto'));
const sidecar = new proto.authz.v1.AuthorizationService('localhost:50051', grpc.credentials.createInsecure());
const catalogue = new proto.catalogue.CatalogueService('catalogue:50051', grpc.credentials.createInsecure());
const app = express();
app.get('/orders/:id', (req, res) => {
  sidecar.checkPermission({ subject: req.user.sub, action: 'orders:read' }, (err: unknown, r: any) => (r?.allowed ? res.json({}) : res.sendStatus(403)));
});
app.get('/products/:id', (req, res) => {
  catalogue.getProduct({ id: req.params.id }, (err: unknown, product: unknown) => res.json(product));
});
`,
    },
    {
      name: 'gRPC: a permission client closed in a shutdown hook is not a per-request check',
      code: `import * as grpc from '@grpc/grpc-js';
const proto: any = grpc.loadPackageDefinition({});
const authz = new proto.authz.AuthorizationService('authz:50051', grpc.credentials.createInsecure());
process.on('SIGTERM', () => authz.close());
`,
    },
  ],
  invalid: [
    {
      name: 'permission middleware factory calling a remote service through an axios instance',
      files: {
        'src/app.ts': `import express from 'express';
import { requirePermission } from './authz';
const app = express();
app.get('/orders/:id', requirePermission('orders:read'), (req, res) => res.json({}));
`,
      },
      filename: 'src/authz.ts',
      code: `import axios from 'axios';
const permissions = axios.create({ baseURL: process.env.PERMISSIONS_SERVICE_URL });
export const requirePermission = (action: string) => async (req, res, next) => {
  const { data } = await permissions.post('/check', { sub: req.user.sub, action });
  return data.allowed ? next() : res.sendStatus(403);
};
`,
      errors: [{ messageId: 'remoteCheck', line: 4, column: 26 }],
    },
    {
      name: 'handler calling a service module that asks a remote PDP over fetch',
      files: {
        'src/app.ts': `import express from 'express';
import { canRead } from './authz-client';
const app = express();
app.get('/reports/:id', async (req, res) => {
  if (!(await canRead(req.user.id, req.params.id))) return res.sendStatus(403);
  res.json({});
});
`,
      },
      filename: 'src/authz-client.ts',
      code: `export async function canRead(userId: string, id: string) {
  const r = await fetch('http://authz.platform.svc.cluster.local/v1/decide', { method: 'POST', body: JSON.stringify({ userId, id }) });
  return (await r.json()).allow;
}
`,
      errors: [{ messageId: 'remoteCheck', line: 2, column: 19, data: { route: 'GET /reports/:id' } }],
    },
    {
      name: 'OPA REST API on a remote host',
      code: `import express from 'express';
import got from 'got';
const app = express();
app.use(async (req, res, next) => {
  const { result } = await got.post('http://opa.platform:8181/v1/data/http/allow', { json: { input: { path: req.path } } }).json();
  return result ? next() : res.sendStatus(403);
});
app.get('/orders', (req, res) => res.json([]));
`,
      errors: [{ messageId: 'remoteCheck', line: 5, column: 28 }],
    },
    {
      name: 'OPA SDK client pointed at a central OPA',
      code: `import express from 'express';
import { OPAClient } from '@open-policy-agent/opa';
const opa = new OPAClient('https://opa.acme.io');
const app = express();
app.get('/orders', async (req, res) => {
  const allowed = await opa.evaluate('orders/allow', { user: req.user });
  res.sendStatus(allowed ? 200 : 403);
});
`,
      errors: [{ messageId: 'remoteCheck', line: 6, column: 25 }],
    },
    {
      name: 'configured permission service host',
      settings: { permissionServices: ['guardian'] },
      code: `import express from 'express';
const app = express();
app.get('/orders', async (req, res) => {
  const r = await fetch('http://guardian:7000/v2/evaluate', { method: 'POST' });
  res.sendStatus(r.ok ? 200 : 403);
});
`,
      errors: [{ messageId: 'remoteCheck', line: 4, column: 19 }],
    },
    {
      name: 'Nest guard delegating to an injected client that uses HttpService',
      files: {
        'src/entitlement.guard.ts': `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { PermissionsClient } from './permissions.client';
@Injectable()
export class EntitlementGuard implements CanActivate {
  constructor(private readonly permissions: PermissionsClient) {}
  async canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest();
    const { data } = await this.permissions.check(req.user.sub, 'orders:list').toPromise();
    return data.allowed;
  }
}
`,
        'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
NestFactory.create(AppModule).then((app) => app.listen(3000));
`,
        'src/orders.controller.ts': `import { Controller, Get, UseGuards } from '@nestjs/common';
import { EntitlementGuard } from './entitlement.guard';
@Controller('orders')
export class OrdersController {
  @UseGuards(EntitlementGuard)
  @Get()
  list() {
    return [];
  }
}
`,
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
@Module({ controllers: [OrdersController] })
export class AppModule {}
`,
      },
      filename: 'src/permissions.client.ts',
      code: `import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
@Injectable()
export class PermissionsClient {
  constructor(private readonly http: HttpService) {}
  check(sub: string, action: string) {
    return this.http.post(\`\${process.env.ENTITLEMENTS_URL}/check\`, { sub, action });
  }
}
`,
      errors: [{ messageId: 'remoteCheck', line: 7, column: 12, data: { route: 'GET /orders' } }],
    },
    {
      name: 'gRPC: a guard asks a permission service through a client built from grpc.loadPackageDefinition',
      code: `import express from 'express';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
const proto: any = grpc.loadPackageDefinition(protoLoader.loadSync('protos/authz.proto'));
const permissions = new proto.acme.authz.v1.PermissionService(process.env.PERMISSIONS_GRPC_ADDR ?? 'permissions:50051', grpc.credentials.createInsecure());
const app = express();
app.get('/orders/:id', (req, res, next) => {
  permissions.checkPermission({ subject: req.user.sub, action: 'orders:read' }, (err: unknown, r: any) => (r?.allowed ? next() : res.sendStatus(403)));
}, (req, res) => res.json({}));
`,
      errors: [{ messageId: 'remoteCheck', line: 8, column: 3, data: { route: 'GET /orders/:id' } }],
    },
  ],
};
