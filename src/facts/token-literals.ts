import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

/** A JWS compact serialization found inside a string: three base64url segments, the header starting with `{`. */
const JWT_SHAPE = /(?<![A-Za-z0-9_.-])ey[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])/;
const JWT_SHAPES = new RegExp(JWT_SHAPE.source, 'g');

/** Cheap pre-check on a whole file: can it hold a JWT literal at all? */
export function mayContainJwt(text: string): boolean {
  return JWT_SHAPE.test(text);
}

export interface DecodedJwt {
  /** Offset of the token inside the searched string. */
  index: number;
  token: string;
  header: ProtectedHeaderParameters & { alg: string };
  /** Undefined when the payload is not a JSON claims set (a detached or binary payload). */
  claims: JWTPayload | undefined;
}

/**
 * JWTs inside a string, decoded with jose and never verified: a token counts when its header is a JSON
 * object with a string `alg`; anything that does not decode is not a token.
 */
export function findJwts(text: string): DecodedJwt[] {
  const found: DecodedJwt[] = [];
  for (const match of text.matchAll(JWT_SHAPES)) {
    const token = match[0];
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      continue;
    }
    if (typeof header.alg !== 'string' || header.alg === '') continue;
    let claims: JWTPayload | undefined;
    try {
      claims = decodeJwt(token);
    } catch {
      claims = undefined;
    }
    found.push({ index: match.index, token, header: header as DecodedJwt['header'], claims });
  }
  return found;
}
