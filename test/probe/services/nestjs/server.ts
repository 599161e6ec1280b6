import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { Controller, Get, Injectable, Module, Param, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import type { TrustedIssuer, Variant } from '../keys.js';

let settings: { variant: Variant; trusted: TrustedIssuer } | undefined;

/**
 * The vulnerable variant picks the key type from the token's own 'alg' (an HS* token gets the public
 * key as an HMAC secret), ignores exp and kid and checks neither iss nor aud.
 */
function strategyOptions(): StrategyOptionsWithoutRequest {
  const { variant, trusted } = settings as NonNullable<typeof settings>;
  if (variant === 'fixed') {
    return {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request, rawJwtToken: string, done) => {
        const kid = jwt.decode(rawJwtToken, { complete: true })?.header.kid;
        if (kid === trusted.kid) done(null, trusted.publicKeyPem);
        else done(new Error('unknown kid'));
      },
      algorithms: ['RS256'],
      issuer: trusted.issuer,
      audience: trusted.audience,
    };
  }
  return {
    jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
    ignoreExpiration: true,
    secretOrKeyProvider: (_request, rawJwtToken: string, done) => {
      const decoded = jwt.decode(rawJwtToken, { complete: true });
      const alg = decoded?.header.alg ?? '';
      done(null, alg.startsWith('HS') ? (createSecretKey(Buffer.from(trusted.publicKeyPem)) as never) : trusted.publicKeyPem);
    },
  };
}

@Injectable()
class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super(strategyOptions());
  }

  validate(payload: { sub?: string }): { sub?: string } {
    return payload;
  }
}

@Controller('api/reports')
class ReportsController {
  @UseGuards(AuthGuard('jwt'))
  @Get(':reportId')
  find(@Param('reportId') reportId: string, @Req() request: { user: { sub?: string } }): { id: string; owner?: string } {
    return { id: reportId, owner: request.user.sub };
  }

  @Get('public/summary')
  summary(): { reports: number } {
    return { reports: 0 };
  }
}

@Module({ imports: [PassportModule], controllers: [ReportsController], providers: [JwtStrategy] })
class ReportsModule {}

export async function startReportsService(variant: Variant, trusted: TrustedIssuer): Promise<INestApplication> {
  settings = { variant, trusted };
  const app = await NestFactory.create(ReportsModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}
