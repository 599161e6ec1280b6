import { JWT_LIBRARIES } from './libraries.js';
import type { JwtApiModel, JwtLibraryModel } from './types.js';

export { JWT_LIBRARIES } from './libraries.js';
export * from './algorithms.js';
export * from './headers.js';
export * from './purposes.js';
export * from './fetched-tokens.js';
export type * from './types.js';

/** Every package name that loads a JWT library (for `jwt-use-shared-library` and quick import checks). */
export const JWT_PACKAGES: readonly string[] = [...new Set(JWT_LIBRARIES.flatMap((l) => l.packages))].sort();

const BY_PACKAGE = new Map<string, JwtLibraryModel>();
for (const library of JWT_LIBRARIES) for (const pkg of library.packages) BY_PACKAGE.set(pkg, library);

/** The library a package specifier loads (`jose`, `jose/jwt/verify`, `node:`-free names), if any. */
export function getJwtLibrary(moduleSpecifier: string): JwtLibraryModel | undefined {
  return BY_PACKAGE.get(moduleSpecifier);
}

export function isJwtPackage(moduleSpecifier: string): boolean {
  return BY_PACKAGE.has(moduleSpecifier);
}

/**
 * Matches an origin path (default/namespace step removed) against a model path:
 * `a|b` alternatives, `x?` optional step, `**` any number of steps.
 */
export function matchesApiPath(pattern: readonly string[], path: readonly string[]): boolean {
  const match = (pi: number, si: number): boolean => {
    if (pi === pattern.length) return si === path.length;
    const step = pattern[pi] as string;
    if (step === '**') {
      for (let k = si; k <= path.length; k++) if (match(pi + 1, k)) return true;
      return false;
    }
    const optional = step.endsWith('?');
    const names = (optional ? step.slice(0, -1) : step).split('|');
    if (si < path.length && names.includes(path[si] as string) && match(pi + 1, si + 1)) return true;
    return optional && match(pi + 1, si);
  };
  return match(0, 0);
}

/** The API of a library an origin path reaches (with that many arguments, for arity-specific models), if the model knows it. */
export function findJwtApi(library: JwtLibraryModel, path: readonly string[], argumentCount?: number): JwtApiModel | undefined {
  return library.apis.find(
    (api) =>
      api.path !== undefined &&
      !api.plugin &&
      !api.passportStrategy &&
      (api.argumentCount === undefined || api.argumentCount === argumentCount) &&
      matchesApiPath(api.path, path),
  );
}

/** The key kind a call of a key helper gives (jwks-rsa clients, jose key import), if the model knows it. */
export function findKeySource(library: JwtLibraryModel, path: readonly string[]): 'jwks' | 'asymmetric' | 'secret' | 'provider' | 'input' | undefined {
  return library.keySources?.find((source) => matchesApiPath(source.path, path))?.kind;
}

/** The kind of an exported key value (legacy jose `JWK.None`), if the model knows it. */
export function findKeyConstant(library: JwtLibraryModel, path: readonly string[]): 'none' | undefined {
  return library.keyConstants?.find((constant) => matchesApiPath(constant.path, path))?.kind;
}

/** Operations that read a token without checking its signature. */
export function isDecodeOnlyOperation(operation: JwtApiModel['operation']): boolean {
  return operation === 'decode';
}
