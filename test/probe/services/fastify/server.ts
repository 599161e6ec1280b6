import fastifyJwt, { type TokenOrHeader } from '@fastify/jwt';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { TrustedIssuer, Variant } from '../keys.js';

/** Invoices API with @fastify/jwt. The vulnerable variant ignores exp, nbf and kid and checks neither iss nor aud. */
export async function startInvoicesService(variant: Variant, trusted: TrustedIssuer): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyJwt, {
    secret: {
      public:
        variant === 'fixed'
          ? async (_request: FastifyRequest, token: TokenOrHeader) => {
              const header = 'header' in token ? token.header : token;
              if (header.kid !== trusted.kid) throw Object.assign(new Error('unknown kid'), { statusCode: 401 });
              return trusted.publicKeyPem;
            }
          : trusted.publicKeyPem,
    },
    decode: { complete: true },
    verify:
      variant === 'fixed'
        ? { algorithms: ['RS256'], allowedIss: trusted.issuer, allowedAud: trusted.audience }
        : { ignoreExpiration: true, ignoreNotBefore: true },
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    await request.jwtVerify();
  }

  app.get('/health', async () => ({ ok: true }));
  app.get('/api/invoices', { onRequest: [authenticate] }, async (request) => ({ owner: (request.user as { sub?: string }).sub, invoices: [] }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
