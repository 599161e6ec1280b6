/**
 * Outbound HTTP clients of the Node.js ecosystem (auth-idioms C3, C4, D2, D3): which calls send a
 * request, where the URL, headers and options are, how instances are created and where defaults and
 * interceptors are registered. A client is matched by the package it is imported from and the export
 * path used, never by local name. Adding a client is an entry here; the facts read these tables.
 */

/** How one call sends a request. */
export interface RequestSignature {
  /** Method on the client (`get`); '' = calling the client itself (`axios(config)`, `fetch(url)`). */
  method: string;
  /** Argument holding the URL; when it is an object instead, it is the options (`axios(config)`, `http.request(options)`). */
  url?: number;
  /** Argument holding the options/config object. */
  options?: number;
  /** Argument holding the request body. */
  body?: number;
}

/** A call or `new` that creates a client instance carrying defaults (`axios.create(config)`, `new Client(origin)`). */
export interface InstanceFactory {
  /** Export path from the module (or method of an instance) without `default`: ['create'], ['Client']. */
  path: readonly string[];
  form: 'call' | 'new';
  /** Argument holding the instance's options. */
  options?: number;
  /** Argument holding the base URL or origin (`new Client('http://payments:8080')`). */
  origin?: number;
  /** Also callable on an instance (`instance.extend(...)`), inheriting its defaults. */
  onInstance?: boolean;
}

export interface HttpClientModel {
  /** Display name and instance-key namespace. */
  id: string;
  /** Package names the client is imported from. */
  modules: readonly string[];
  /** Where the callable client sits in the module, without `default`: [] = the module itself. */
  exports: readonly (readonly string[])[];
  /** A global of the same client (`fetch`). */
  global?: string;
  /** A class the framework injects (`HttpService` of @nestjs/axios): `this.http.get(...)`. */
  injected?: readonly string[];
  /** Calls on the client (and on its instances) that send a request. */
  requests: readonly RequestSignature[];
  /** Calls on an instance only (undici `client.request({ path })`); defaults to `requests`. */
  instanceRequests?: readonly RequestSignature[];
  factories: readonly InstanceFactory[];
  /** Options that give the base URL of relative request URLs (`baseURL`, `prefixUrl`, `origin`). */
  baseUrlOptions: readonly string[];
  /** Options that give the URL when the options object carries it (`url`, `path`). */
  urlOptions: readonly string[];
  /** Options that give only a host (`http.request({ host, port, path })`). */
  hostOptions?: readonly string[];
  /** Options that carry a credential other than headers (`auth`, client certificates). */
  credentialOptions: readonly string[];
  /** Options that carry an agent/dispatcher (possibly with a client certificate: mTLS). */
  agentOptions: readonly string[];
  /** Member paths on a client or instance where request hooks are registered (`interceptors.request.use`). */
  interceptors?: readonly (readonly string[])[];
  /** Option paths where request hooks are configured (`hooks.beforeRequest`). */
  hookOptions?: readonly (readonly string[])[];
  /** Member path of the defaults object (`defaults` of axios: `instance.defaults.headers.common.Authorization = …`). */
  defaults?: readonly string[];
  /** Chained setters that add headers or credentials (`superagent.get(url).set('Authorization', …)`, `.auth(…)`). */
  chainHeaderSetters?: readonly string[];
  chainCredentialSetters?: readonly string[];
  /** Module-level configuration calls that give every injected instance defaults (`HttpModule.register(config)`). */
  moduleConfigs?: ReadonlyArray<{ module: string; path: readonly string[]; options: number }>;
  /** A member of an injected or module client that is an instance of another model (`httpService.axiosRef`). */
  instanceMembers?: ReadonlyArray<{ member: string; model: string }>;
}

const AXIOS_REQUESTS: readonly RequestSignature[] = [
  { method: '', url: 0, options: 1 },
  { method: 'request', url: 0 },
  { method: 'get', url: 0, options: 1 },
  { method: 'delete', url: 0, options: 1 },
  { method: 'head', url: 0, options: 1 },
  { method: 'options', url: 0, options: 1 },
  { method: 'post', url: 0, body: 1, options: 2 },
  { method: 'put', url: 0, body: 1, options: 2 },
  { method: 'patch', url: 0, body: 1, options: 2 },
  { method: 'postForm', url: 0, body: 1, options: 2 },
  { method: 'putForm', url: 0, body: 1, options: 2 },
  { method: 'patchForm', url: 0, body: 1, options: 2 },
];

const AXIOS_CONFIG = {
  baseUrlOptions: ['baseURL'],
  urlOptions: ['url'],
  credentialOptions: ['auth'],
  agentOptions: ['httpsAgent', 'httpAgent'],
} as const;

const GOT_LIKE_REQUESTS: readonly RequestSignature[] = [
  { method: '', url: 0, options: 1 },
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'stream'].map((method) => ({ method, url: 0, options: 1 })),
];

const FETCH_REQUESTS: readonly RequestSignature[] = [{ method: '', url: 0, options: 1 }];
const FETCH_CONFIG = {
  baseUrlOptions: [],
  urlOptions: [],
  credentialOptions: [],
  agentOptions: ['dispatcher', 'agent'],
} as const;

export const HTTP_CLIENTS: readonly HttpClientModel[] = [
  { id: 'fetch', modules: [], exports: [], global: 'fetch', requests: FETCH_REQUESTS, factories: [], ...FETCH_CONFIG },
  {
    id: 'node-fetch',
    modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', 'make-fetch-happen'],
    exports: [[], ['fetch']],
    requests: FETCH_REQUESTS,
    factories: [],
    ...FETCH_CONFIG,
  },
  {
    id: 'axios',
    modules: ['axios'],
    exports: [[]],
    requests: AXIOS_REQUESTS,
    factories: [{ path: ['create'], form: 'call', options: 0, onInstance: true }],
    ...AXIOS_CONFIG,
    interceptors: [['interceptors', 'request', 'use']],
    defaults: ['defaults'],
  },
  {
    id: 'nest-http',
    modules: ['@nestjs/axios', '@nestjs/common'],
    exports: [],
    injected: ['HttpService'],
    requests: AXIOS_REQUESTS.filter((r) => r.method !== ''),
    factories: [],
    ...AXIOS_CONFIG,
    moduleConfigs: [
      { module: '@nestjs/axios', path: ['HttpModule', 'register'], options: 0 },
      { module: '@nestjs/axios', path: ['HttpModule', 'registerAsync'], options: 0 },
      { module: '@nestjs/common', path: ['HttpModule', 'register'], options: 0 },
    ],
    instanceMembers: [{ member: 'axiosRef', model: 'axios' }],
  },
  {
    id: 'got',
    modules: ['got'],
    exports: [[], ['got']],
    requests: GOT_LIKE_REQUESTS,
    factories: [{ path: ['extend'], form: 'call', options: 0, onInstance: true }],
    baseUrlOptions: ['prefixUrl'],
    urlOptions: ['url'],
    credentialOptions: ['username', 'password', 'https'],
    agentOptions: ['agent'],
    hookOptions: [['hooks', 'beforeRequest']],
  },
  {
    id: 'ky',
    modules: ['ky', 'ky-universal'],
    exports: [[]],
    requests: GOT_LIKE_REQUESTS.filter((r) => r.method !== 'stream'),
    factories: [
      { path: ['create'], form: 'call', options: 0, onInstance: true },
      { path: ['extend'], form: 'call', options: 0, onInstance: true },
    ],
    baseUrlOptions: ['prefixUrl'],
    urlOptions: [],
    credentialOptions: [],
    agentOptions: [],
    hookOptions: [['hooks', 'beforeRequest']],
  },
  {
    id: 'undici',
    modules: ['undici'],
    exports: [['request'], ['fetch'], ['stream']],
    requests: [{ method: '', url: 0, options: 1 }],
    instanceRequests: [
      { method: 'request', url: 0 },
      { method: 'stream', url: 0 },
    ],
    factories: [
      { path: ['Client'], form: 'new', origin: 0, options: 1 },
      { path: ['Pool'], form: 'new', origin: 0, options: 1 },
    ],
    baseUrlOptions: [],
    urlOptions: ['path'],
    credentialOptions: [],
    agentOptions: ['dispatcher'],
  },
  {
    id: 'superagent',
    modules: ['superagent'],
    exports: [[]],
    requests: [
      { method: '', url: 1 },
      ...['get', 'post', 'put', 'patch', 'delete', 'del', 'head'].map((method) => ({ method, url: 0 })),
    ],
    factories: [{ path: ['agent'], form: 'call' }],
    baseUrlOptions: [],
    urlOptions: [],
    credentialOptions: [],
    agentOptions: [],
    chainHeaderSetters: ['set'],
    chainCredentialSetters: ['auth', 'key', 'cert', 'pfx', 'ca', 'use'],
  },
  {
    // Deprecated but still common in older microservices (Weaveworks Sock Shop, Instana Robot Shop).
    id: 'request',
    modules: ['request', 'request-promise', 'request-promise-native', 'postman-request'],
    exports: [[]],
    requests: [
      { method: '', url: 0, options: 1 },
      ...['get', 'post', 'put', 'patch', 'delete', 'del', 'head'].map((method) => ({ method, url: 0, options: 1 })),
    ],
    factories: [{ path: ['defaults'], form: 'call', options: 0, onInstance: true }],
    baseUrlOptions: ['baseUrl'],
    urlOptions: ['url', 'uri'],
    credentialOptions: ['auth', 'oauth', 'aws', 'httpSignature', 'cert', 'key', 'pfx'],
    agentOptions: ['agent', 'agentOptions'],
  },
  {
    id: 'node-http',
    modules: ['http', 'https', 'node:http', 'node:https'],
    exports: [['request'], ['get']],
    requests: [{ method: '', url: 0, options: 1 }],
    factories: [],
    baseUrlOptions: [],
    urlOptions: ['path'],
    hostOptions: ['hostname', 'host'],
    credentialOptions: ['auth', 'cert', 'key', 'pfx'],
    agentOptions: ['agent'],
  },
];

/**
 * SDKs of remote policy decision points (auth-idioms C3): every call of these methods asks a service
 * over the network. In-process engines (CASL, casbin, accesscontrol, opa-wasm, Cerbos embedded, legacy
 * `oso`) are not listed on purpose.
 */
export interface RemoteAuthorizationClient {
  id: string;
  modules: readonly string[];
  /** The constructor or factory export, without `default`. */
  path: readonly string[];
  form: 'call' | 'new';
  /** Where the PDP address is: an argument index, or an option of the object argument at `options`. */
  address?: { argument: number; option?: string };
  /** The address used when none is given (Permit's PDP defaults to a local container). */
  defaultAddress?: string;
  methods: readonly string[];
}

export const REMOTE_AUTHORIZATION_CLIENTS: readonly RemoteAuthorizationClient[] = [
  {
    id: 'OPA',
    modules: ['@open-policy-agent/opa', '@styra/opa'],
    path: ['OPAClient'],
    form: 'new',
    address: { argument: 0 },
    methods: ['evaluate', 'evaluateDefault', 'evaluateBatch'],
  },
  ...[
    { module: '@cerbos/grpc', constructor: 'GRPC' },
    { module: '@cerbos/http', constructor: 'HTTP' },
  ].map(({ module, constructor }): RemoteAuthorizationClient => ({
    id: 'Cerbos',
    modules: [module],
    path: [constructor],
    form: 'new',
    address: { argument: 0 },
    methods: ['checkResource', 'checkResources', 'checkResourceSet', 'isAllowed', 'planResources'],
  })),
  {
    id: 'OpenFGA',
    modules: ['@openfga/sdk'],
    path: ['OpenFgaClient'],
    form: 'new',
    address: { argument: 0, option: 'apiUrl' },
    methods: ['check', 'batchCheck', 'clientBatchCheck', 'listObjects', 'listRelations', 'listUsers'],
  },
  {
    id: 'Permit.io',
    modules: ['permitio'],
    path: ['Permit'],
    form: 'new',
    address: { argument: 0, option: 'pdp' },
    defaultAddress: 'http://localhost:7766',
    methods: ['check', 'bulkCheck', 'checkAllTenants'],
  },
  {
    id: 'Oso Cloud',
    modules: ['oso-cloud'],
    path: ['Oso'],
    form: 'new',
    address: { argument: 0 },
    defaultAddress: 'https://cloud.osohq.com',
    methods: ['authorize', 'list', 'actions', 'query'],
  },
  {
    id: 'SpiceDB',
    modules: ['@authzed/authzed-node'],
    path: ['v1', 'NewClient'],
    form: 'call',
    address: { argument: 1 },
    defaultAddress: 'https://grpc.authzed.com',
    methods: ['checkPermission', 'checkBulkPermissions', 'lookupResources', 'lookupSubjects'],
  },
];

/**
 * gRPC's dynamic clients: `new (grpc.loadPackageDefinition(def).pkg.Service)(address, credentials)`; every method of
 * the instance is an RPC sent to `address` as `/pkg.Service/Method` (the HTTP/2 path gRPC uses).
 */
export const GRPC_CLIENT = {
  id: 'gRPC',
  modules: ['@grpc/grpc-js', 'grpc'],
  /** Exports whose call result is the package object the service constructors hang from. */
  loaders: ['loadPackageDefinition', 'load'],
  /** Instance methods that manage the channel instead of sending an RPC. */
  channelMethods: ['close', 'getChannel', 'waitForReady', 'makeUnaryRequest', 'makeClientStreamRequest', 'makeServerStreamRequest', 'makeBidiStreamRequest'],
} as const;

/** Header names that carry a credential (an `Authorization` header, an API key, a signature, a session). */
export const CREDENTIAL_HEADER = /^(?:authorization|proxy-authorization|cookie)$|token|api[-_]?key|secret|signature|credential|session|jwt|bearer|auth/i;

/** Query parameters and body fields that carry a service credential (a user's password being checked is not one). */
export const CREDENTIAL_FIELD = /(?:^|[_-])(?:access[_-]?token|token|api[_-]?key|apikey|secret|client[_-]?secret|signature|assertion)$|^(?:clientSecret|apiKey|accessToken)$/i;

/** Options of an https agent or dispatcher that present a client certificate (mTLS). */
export const CLIENT_CERTIFICATE_OPTIONS: readonly string[] = ['cert', 'key', 'pfx', 'certificate'];

/** Host suffixes of private DNS zones (auth-idioms D4). */
export const INTERNAL_HOST_SUFFIXES: readonly string[] = [
  '.internal',
  '.svc',
  '.svc.cluster.local',
  '.cluster.local',
  '.local',
  '.consul',
  '.private',
  '.corp',
  '.intra',
  '.intranet',
  '.lan',
  '.home.arpa',
];

/** Hosts of the local machine: a call there reaches a sidecar or agent, not another service. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'host.docker.internal']);

/**
 * Words of a variable or configuration key that name another service's base URL
 * (`PAYMENTS_SERVICE_URL`, `USER_SVC_BASE_URL`, `config.services.payments.url`, `INTERNAL_API_URL`).
 */
export const INTERNAL_SERVICE_NAME_WORDS: ReadonlySet<string> = new Set(['service', 'services', 'svc', 'internal', 'microservice']);
/** …together with one of these words (so `SERVICE_NAME` or `serviceAccount` is not a URL). */
export const URL_NAME_WORDS: ReadonlySet<string> = new Set(['url', 'uri', 'host', 'endpoint', 'addr', 'address', 'base', 'origin', 'api']);

/** Words of a host or variable naming a service that only answers authorization decisions (auth-idioms C4). */
export const POLICY_ENGINE_WORDS: ReadonlySet<string> = new Set(['authz', 'authorization', 'authorizer', 'opa', 'pdp', 'fga', 'spicedb', 'cerbos']);

/** Words naming a service that holds permission data: a call there is a check only with a decision signal. */
export const PERMISSION_SERVICE_WORDS: ReadonlySet<string> = new Set([
  'permission',
  'permissions',
  'entitlement',
  'entitlements',
  'policy',
  'policies',
  'acl',
  'rbac',
  'abac',
]);

/** Path words of an endpoint that answers a decision (`/check`, `/evaluate`, `/permissions/effective`). */
export const DECISION_PATH_WORDS: ReadonlySet<string> = new Set([
  'check',
  'checks',
  'evaluate',
  'eval',
  'authorize',
  'authorise',
  'decide',
  'decision',
  'decisions',
  'allowed',
  'allow',
  'can',
  'verify',
  'effective',
  'enforce',
  'access',
]);

/** Words of a URL path or client variable that name a permission API (narrower: `policy` and `authorize` are common elsewhere). */
export const PERMISSION_PATH_WORDS: ReadonlySet<string> = new Set(['authz', 'permission', 'permissions', 'entitlement', 'entitlements', 'acl', 'acls', 'pdp', 'opa', 'rbac', 'fga']);

/** Names of functions that ask whether the caller may do something. */
export const PERMISSION_CHECK_FUNCTION =
  /^(?:check|has|can|get|fetch|load|evaluate|verify|assert|require|ensure|is)(?:User)?(?:Permissions?|Access|Authori[sz]ation|Authz|Entitlements?|Polic(?:y|ies)|Allowed|Authori[sz]ed)\w*$|^(?:isAllowed|authori[sz]e|canAccess|canPerform|enforce|decide)$/i;

/** URL path fragments of policy decision endpoints (`/v1/data/<pkg>` is OPA's REST API). */
export const PERMISSION_PATH_PATTERNS: readonly RegExp[] = [/\/v1\/data\//, /\/v1\/authorize\b/, /\/check-?permissions?\b/i, /\/permissions?\/check\b/i];

/** Endpoints that are open by design (probes, metrics, key sets, discovery documents): calling them needs no credential. */
export const UNAUTHENTICATED_ENDPOINTS: readonly RegExp[] = [
  /\/\.well-known\//,
  /(?:^|\/)jwks(?:\.json)?(?:[/?]|$)/i,
  /\/certs(?:[/?]|$)/,
  /(?:^|\/)(?:health|healthz|healthcheck|livez|readyz|ready|live|ping|metrics|status)(?:[/?]|$)/i,
];

/** Callbacks of these functions run later, outside the request that scheduled them. */
export const DEFERRED_CALLBACK_FUNCTIONS: ReadonlySet<string> = new Set(['setInterval', 'setTimeout', 'setImmediate', 'queueMicrotask']);
