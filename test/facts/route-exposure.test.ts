import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { getPublicEndpointReason } from '../../src/facts/routes/exposure.js';
import { extractFastifyRoutes } from '../../src/facts/routes/fastify.js';
import { matchesRoute } from '../../src/facts/routes/paths.js';

const reason = (method: string, path: string): string | undefined => getPublicEndpointReason({ methods: [method], path }, {});

describe('public endpoints by path', () => {
  it('treats the service root and a bare global prefix as the root, for reads only', () => {
    expect(reason('GET', '/')).toBe('service root');
    expect(reason('GET', '/api')).toBe('service root');
    expect(reason('GET', '/api/v1')).toBe('service root');
    expect(reason('POST', '/api')).toBeUndefined();
    expect(reason('GET', '/api/orders')).toBeUndefined();
  });

  it('matches the literal tail of a path whose prefix is unresolved, but not a wholly unresolved path', () => {
    expect(reason('POST', '/<unresolved>users/login')).toContain('login');
    expect(reason('POST', '/api/<unresolved>auth/refresh-token')).toContain('refresh-token');
    expect(reason('GET', '/<unresolved>')).toBeUndefined();
    expect(reason('GET', '/<unresolved>orders')).toBeUndefined();
  });

  it('recognises a credential-flow name spread over two segments, and the short pw forms, but not unrelated neighbours', () => {
    expect(reason('POST', '/api/v1/auth/email/confirm')).toBe("credential flow endpoint ('email/confirm')");
    expect(reason('POST', '/api/v1/auth/email/confirm/new')).toBe("credential flow endpoint ('email/confirm')");
    expect(reason('POST', '/forgotpw')).toBe("credential flow endpoint ('forgotpw')");
    expect(reason('GET', '/resetpw')).toBe("credential flow endpoint ('resetpw')");
    expect(reason('PATCH', '/api/users/email/settings')).toBeUndefined();
    expect(reason('POST', '/api/orders/:email/confirm')).toBeUndefined();
  });

  it('counts reset and refresh as credential flows only in an account context or as the first segment, not as ordinary actions', () => {
    for (const path of ['/reset/:token', '/api/v1/refresh', '/auth/refresh', '/users/password/reset', '/refresh-token', '/account/reset', '/reset-password/:code']) {
      expect(reason('POST', path), path).toMatch(/^credential flow endpoint/);
    }
    for (const path of ['/ai/ai-agent/reset', '/cache/refresh', '/api/orders/:id/reset', '/games/:id/refresh']) {
      expect(reason('POST', path), path).toBeUndefined();
    }
  });

  it("counts a sign-in protocol's own steps as credential flows, not what is configured for it (logto's signing-key rotation, SAML applications; outline's OAuth clients)", () => {
    for (const path of ['/api/authn/saml/:connectorId', '/api/saml/:id/authn', '/oauth/token', '/sso/callback', '/auth/oidc-callback', '/api/saml-applications/:id/callback', '/oauth2/authorize']) {
      expect(reason('POST', path), path).toMatch(/^credential flow endpoint/);
    }
    for (const path of ['/api/configs/oidc/:keyType/rotate', '/api/configs/oidc/session', '/api/saml-applications/:id/secrets', '/api/sso-connectors/:id', '/api/oauthClients.rotate_secret', '/api/auth/oidc-client']) {
      expect(reason('POST', path), path).toBeUndefined();
    }
    expect(reason('GET', '/api/saml-applications/:id/metadata')).toBe("sign-in protocol metadata ('metadata')");
    expect(reason('GET', '/api/documents/:id/metadata')).toBeUndefined();
  });

  it('exempts second-factor login steps and security questions, not second-factor management', () => {
    expect(reason('POST', '/rest/2fa/verify')).toBe("second-factor login step ('verify')");
    expect(reason('GET', '/rest/user/security-question')).toContain('security-question');
    expect(reason('POST', '/rest/2fa/disable')).toBeUndefined();
    expect(reason('POST', '/rest/2fa/setup')).toBeUndefined();
  });
});

describe('unresolved route paths keep their literal tail', () => {
  it('shows options.prefix + literal as <unresolved>literal', () => {
    const abs: Record<string, string> = {
      '/repo/app.js': `const fastify = require('fastify')();
fastify.register(async function users(server, options) {
  server.route({ method: 'POST', path: options.prefix + 'users/login', handler: async () => ({}) });
  server.get(\`\${options.prefix}user\`, async () => ({}));
});
fastify.listen({ port: 3000 });
`,
    };
    const source: TextSource = { read: (p) => abs[p], exists: (p) => p in abs };
    const project = new AnalysisProject('/repo', {}, source);
    for (const [p, text] of Object.entries(abs)) project.addFile(p, text);
    const paths = extractFastifyRoutes(project).map((r) => `${r.methods.join('|')} ${r.path} ${r.pathResolved}`).sort();
    expect(paths).toEqual(['GET /<unresolved>user false', 'POST /<unresolved>users/login false']);
  });
});

describe('configured patterns against a route whose prefix is unresolved', () => {
  const location = { file: 'src/main.ts', start: 0, end: 1 };
  const unknownPrefix = { path: '/<unresolved>/v1/catalog/42', mounts: [{ ...location, prefix: '<unresolved>' }], unresolvedPrefixOnly: true };
  const defaultPrefix = { path: '/api/v1/catalog/42', mounts: [{ ...location, prefix: 'api' }], unresolvedPrefixOnly: true };

  it('lets the leading segments of a pattern stand for the prefix, or be left out', () => {
    expect(matchesRoute('/shop/v1/catalog/**', unknownPrefix)).toBe(true);
    expect(matchesRoute('/v1/catalog/*', unknownPrefix)).toBe(true);
    expect(matchesRoute('/shop/v1/catalog/**', defaultPrefix)).toBe(true);
    expect(matchesRoute('catalog', unknownPrefix)).toBe(true);
  });

  it('does not let a pattern shrink to wildcards, and needs the unresolved-prefix fact', () => {
    expect(matchesRoute('/admin/**', unknownPrefix)).toBe(false);
    expect(matchesRoute('/shop/v1/orders/**', unknownPrefix)).toBe(false);
    expect(matchesRoute('/shop/v1/catalog/**', { ...unknownPrefix, unresolvedPrefixOnly: undefined })).toBe(false);
    expect(matchesRoute('/shop/v1/catalog/**', { path: '/internal/v1/catalog/42', mounts: [{ ...location, prefix: 'internal' }] })).toBe(false);
  });
});
