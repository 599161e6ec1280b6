import type { RuleCases } from '../support/rule-cases.js';

/** A Nest service calling the billing service through the injected HttpService (line 7, column 12). */
const BILLING_CLIENT = `import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
@Injectable()
export class BillingClient {
  constructor(private readonly http: HttpService) {}
  invoices() {
    return this.http.get('http://billing:8080/invoices');
  }
}
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'request (the deprecated client) with a bearer header in its options',
      filename: 'src/cart.js',
      code: `const request = require('request');
function getProduct(sku, token, cb) {
  request('http://catalogue:8080/product/' + sku, { headers: { Authorization: 'Bearer ' + token } }, cb);
}
module.exports = { getProduct };
`,
    },
    {
      name: 'request.defaults carries the token for every call of the instance',
      filename: 'src/cart.js',
      code: `const request = require('request').defaults({ headers: { authorization: 'Bearer ' + process.env.SERVICE_TOKEN } });
function getProduct(sku, cb) {
  request.get('http://catalogue:8080/product/' + sku, cb);
}
module.exports = { getProduct };
`,
    },
    {
      name: 'fetch with a bearer token to a cluster service',
      code: `export const charge = (amount: number, token: string) =>
  fetch('http://payments:8080/charges', { method: 'POST', headers: { Authorization: \`Bearer \${token}\` }, body: JSON.stringify({ amount }) });
`,
    },
    {
      name: 'axios instance whose request interceptor attaches the token, registered in another file',
      files: {
        'src/http.ts': `import axios from 'axios';
export const inventory = axios.create({ baseURL: 'http://inventory.internal' });
`,
        'src/auth-interceptor.ts': `import { inventory } from './http';
import { getToken } from './token';
inventory.interceptors.request.use(async (config) => {
  config.headers.Authorization = \`Bearer \${await getToken()}\`;
  return config;
});
`,
      },
      code: `import { inventory } from './http';
export const reserve = (sku: string) => inventory.post('/reservations', { sku });
`,
    },
    {
      name: 'axios instance with default headers set after creation',
      code: `import axios from 'axios';
const users = axios.create({ baseURL: process.env.USERS_SERVICE_URL });
users.defaults.headers.common['Authorization'] = \`Bearer \${process.env.SERVICE_TOKEN}\`;
export const getUser = (id: string) => users.get(\`/users/\${id}\`);
`,
    },
    {
      name: 'library-wide axios defaults carry the token',
      code: `import axios from 'axios';
axios.defaults.headers.common.Authorization = \`Bearer \${process.env.SERVICE_TOKEN}\`;
export const getUser = (id: string) => axios.get(\`http://users:3000/users/\${id}\`);
`,
    },
    {
      name: 'got instance with a beforeRequest hook',
      code: `import got from 'got';
import { sign } from './signer';
const ledger = got.extend({ prefixUrl: 'http://ledger.svc.cluster.local', hooks: { beforeRequest: [(options) => sign(options)] } });
export const post = (entry: object) => ledger.post('entries', { json: entry });
`,
    },
    {
      name: 'call to a public third-party API',
      code: `export const stars = () => fetch('https://api.github.com/repos/acme/shop');
`,
    },
    {
      name: 'sidecar on loopback',
      code: `export const invoke = () => fetch('http://localhost:3500/v1.0/invoke/orders/method/list');
`,
    },
    {
      name: 'health probe of another service',
      code: `export const ready = () => fetch('http://payments:8080/healthz');
`,
    },
    {
      name: 'headers that cannot be read are not judged',
      code: `export const forward = (headers: Record<string, string>) => fetch('http://orders:3000/orders', { headers });
`,
    },
    {
      name: 'headers built with new Headers() and set(Authorization)',
      code: `export async function listOrders(token: string) {
  const headers = new Headers();
  headers.set('Authorization', \`Bearer \${token}\`);
  return fetch(\`\${process.env.ORDERS_SERVICE_URL}/orders\`, { headers });
}
`,
    },
    {
      name: 'a credential header added to the headers variable after its declaration',
      code: `export async function notify(userId: string) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (process.env.NOTIFY_SECRET) headers['X-Notify-Secret'] = process.env.NOTIFY_SECRET;
  return fetch('http://realtime:8003/notify', { method: 'POST', headers, body: JSON.stringify({ userId }) });
}
`,
    },
    {
      name: 'mTLS agent with a client certificate',
      code: `import https from 'node:https';
import axios from 'axios';
import fs from 'node:fs';
const agent = new https.Agent({ cert: fs.readFileSync('client.crt'), key: fs.readFileSync('client.key') });
const ledger = axios.create({ baseURL: 'https://ledger.internal', httpsAgent: agent });
export const balance = () => ledger.get('/balance');
`,
    },
    {
      name: 'superagent with .set(Authorization)',
      code: `import request from 'superagent';
export const users = (token: string) => request.get('http://users:3000/users').set('Authorization', \`Bearer \${token}\`);
`,
    },
    {
      name: 'Nest HttpService configured with a default Authorization header',
      files: {
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
@Module({ imports: [HttpModule.register({ headers: { Authorization: \`Bearer \${process.env.SERVICE_TOKEN}\` } })] })
export class AppModule {}
`,
      },
      code: BILLING_CLIENT,
    },
    {
      name: 'Nest HttpModule.registerAsync whose factory returns an Authorization header',
      files: {
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({ timeout: 5000, headers: { Authorization: \`Bearer \${config.get('SERVICE_TOKEN')}\` } }),
    }),
  ],
})
export class AppModule {}
`,
      },
      code: BILLING_CLIENT,
    },
    {
      name: 'client credentials grant sends the secret in the body',
      code: `import axios from 'axios';
export const token = () => axios.post('http://identity.internal/oauth/token', { grant_type: 'client_credentials', client_secret: process.env.CLIENT_SECRET });
`,
    },
    {
      name: 'browser code calling its backend',
      filename: 'src/client/api.ts',
      code: `export const me = () => fetch('http://api:3000/me');
`,
    },
    {
      name: 'URL from a variable that does not name a service',
      code: `export const hook = (webhookUrl: string) => fetch(process.env.WEBHOOK_URL as string, { method: 'POST' });
`,
    },
    {
      name: 'a local method named fetch is not an HTTP client',
      code: `class Repo { fetch(url: string) { return url; } }
export const r = new Repo().fetch('http://payments:8080/charges');
`,
    },
  ],
  invalid: [
    {
      name: 'fetch to a base URL from a *_SERVICE_URL variable without a token',
      code: `export async function charge(amount: number) {
  return fetch(\`\${process.env.PAYMENTS_SERVICE_URL}/charges\`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount }) });
}
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 10, data: { call: 'fetch' } }],
    },
    {
      name: 'axios.get to a Compose service name',
      code: `import axios from 'axios';
export const stock = (sku: string) => axios.get(\`http://inventory:8080/stock/\${sku}\`);
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 39 }],
    },
    {
      name: 'axios instance with a cluster base URL and no credential anywhere',
      files: {
        'src/http.ts': `import axios from 'axios';
export const ledger = axios.create({ baseURL: 'http://ledger.finance.svc.cluster.local', timeout: 2000 });
`,
      },
      code: `import { ledger } from './http';
export const post = (entry: object) => ledger.post('/entries', entry);
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 40 }],
    },
    {
      name: 'class member instance created in the constructor',
      code: `import axios, { type AxiosInstance } from 'axios';
export class UsersClient {
  private readonly http: AxiosInstance;
  constructor() {
    this.http = axios.create({ baseURL: process.env.USER_SVC_BASE_URL });
  }
  get(id: string) {
    return this.http.get(\`/users/\${id}\`);
  }
}
`,
      errors: [{ messageId: 'noCredential', line: 8, column: 12 }],
    },
    {
      name: 'got to a private zone host',
      code: `import got from 'got';
export const quote = () => got.post('http://shipping.corp/quotes', { json: {} });
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 28 }],
    },
    {
      name: 'node http.request with a host option',
      code: `import http from 'node:http';
export const ping = () => http.request({ host: 'audit', port: 8080, path: '/events', method: 'POST' });
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 27 }],
    },
    {
      name: 'undici Client created with an internal origin',
      code: `import { Client } from 'undici';
const catalog = new Client('http://catalog:9000');
export const list = () => catalog.request({ path: '/items', method: 'GET' });
`,
      errors: [{ messageId: 'noCredential', line: 3, column: 27 }],
    },
    {
      name: 'superagent without any header',
      code: `import request from 'superagent';
export const users = () => request.get('http://10.0.3.12:3000/users');
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 28 }],
    },
    {
      name: 'Nest HttpService call with a URL from ConfigService',
      code: `import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
@Injectable()
export class NotificationsClient {
  constructor(private readonly http: HttpService, private readonly config: ConfigService) {}
  send(to: string) {
    return this.http.post(\`\${this.config.get('NOTIFICATION_SERVICE_URL')}/send\`, { to });
  }
}
`,
      errors: [{ messageId: 'noCredential', line: 8, column: 12 }],
    },
    {
      name: 'Nest HttpModule.registerAsync whose factory sets only a timeout',
      files: {
        'src/app.module.ts': `import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
@Module({ imports: [HttpModule.registerAsync({ useFactory: () => ({ timeout: 5000, maxRedirects: 3 }) })] })
export class AppModule {}
`,
      },
      code: BILLING_CLIENT,
      errors: [{ messageId: 'noCredential', line: 7, column: 12 }],
    },
    {
      name: 'a *_SERVICE_URL variable with a localhost developer default is still another service',
      code: `const USERS_URL = process.env.USERS_SERVICE_URL ?? 'http://localhost:3002';
export const user = (id: string) => fetch(\`\${USERS_URL}/users/\${id}\`);
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 37 }],
    },
    {
      name: 'a user password in the body is not a service credential',
      code: `import axios from 'axios';
export const login = (email: string, password: string) => axios.post(\`\${process.env.USERS_SERVICE_URL}/users/validate-credentials\`, { email, password });
`,
      errors: [{ messageId: 'noCredential', line: 2, column: 59 }],
    },
    {
      name: 'a variable whose default is a private host',
      code: `import axios from 'axios';
const WS_SERVER_URL = process.env.WS_SERVER_URL || 'http://realtime-service:8003';
export const trigger = (userId: string) => axios.post(\`\${WS_SERVER_URL}/trigger\`, { userId });
`,
      errors: [{ messageId: 'noCredential', line: 3, column: 44, data: { reason: "'WS_SERVER_URL' defaults to the private host 'realtime-service'" } }],
    },
    {
      name: 'host matching a configured internal service pattern',
      settings: { internalServices: ['*.acme.io'] },
      code: `export const report = () => fetch('https://reports.acme.io/v1/daily');
`,
      errors: [{ messageId: 'noCredential', line: 1, column: 29 }],
    },
    {
      name: 'base URL from a configured internal service variable',
      settings: { internalServiceVariables: ['*_BASE_URL'] },
      code: `export const report = () => fetch(\`\${process.env.REPORTS_BASE_URL}/daily\`);
`,
      errors: [{ messageId: 'noCredential', line: 1, column: 29 }],
    },
    {
      name: 'request inside an IIFE module wrapper, with a callback and no credential (Robot Shop cart)',
      filename: 'src/cart.js',
      code: `(function () {
  var request = require('request');
  var catalogueHost = process.env.CATALOGUE_HOST || 'catalogue';
  module.exports = function getProduct(sku, cb) {
    request('http://' + catalogueHost + ':8080/product/' + sku, function (err, res, body) { cb(err, body); });
  };
}());
`,
      errors: [{ messageId: 'noCredential', line: 5, column: 5 }],
    },
  ],
};
