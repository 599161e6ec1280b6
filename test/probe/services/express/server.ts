import { createPublicKey } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt, { type GetPublicKeyOrSecret, type JwtPayload } from 'jsonwebtoken';
import type { TrustedIssuer, Variant } from '../keys.js';

/**
 * Orders API with jsonwebtoken. The vulnerable variant resolves the key from the token header (an
 * embedded 'jwk' wins, an unknown kid yields no key, which jsonwebtoken takes as "unsigned" when
 * 'none' is allowed) and checks neither iss nor aud.
 */
export function createOrdersApp(variant: Variant, trusted: TrustedIssuer): express.Express {
  const keys: Record<string, string> = { [trusted.kid]: trusted.publicKeyPem };
  const resolveKey: GetPublicKeyOrSecret =
    variant === 'fixed'
      ? (header, done) => done(null, header.kid ? keys[header.kid] : undefined)
      : (header, done) => {
          const embedded = (header as { jwk?: Record<string, unknown> }).jwk;
          done(null, embedded ? createPublicKey({ key: embedded as never, format: 'jwk' }) : header.kid ? keys[header.kid] : undefined);
        };
  const options: jwt.VerifyOptions =
    variant === 'fixed' ? { algorithms: ['RS256'], issuer: trusted.issuer, audience: trusted.audience } : { algorithms: ['RS256', 'none'] };

  function authenticate(req: Request, res: Response, next: NextFunction): void {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) {
      res.status(401).json({ error: 'missing token' });
      return;
    }
    jwt.verify(header.slice(7), resolveKey, options, (error, payload) => {
      if (error || !payload) {
        res.status(401).json({ error: 'invalid token' });
        return;
      }
      res.locals['user'] = payload as JwtPayload;
      next();
    });
  }

  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/api/orders/:orderId', authenticate, (req, res) => {
    res.json({ id: req.params.orderId, owner: (res.locals['user'] as JwtPayload).sub });
  });
  app.delete('/api/orders/:orderId', authenticate, (req, res) => {
    res.json({ deleted: req.params.orderId });
  });
  return app;
}

export function startOrdersService(variant: Variant, trusted: TrustedIssuer): Promise<Server> {
  return new Promise((resolve) => {
    const server = createOrdersApp(variant, trusted).listen(0, '127.0.0.1', () => resolve(server));
  });
}
