/**
 * Library versions whose verify trusts the key string or the token when no algorithm allowlist is
 * given (see ../shared/reference/auth-idioms.md §A1, §A6, §A9, §A11).
 */
export interface AlgorithmAdvisory {
  /** First fixed version. */
  major: number;
  minor?: number;
  patch?: number;
  advisory: string;
}

export const ALGORITHM_ADVISORIES: Readonly<Record<string, AlgorithmAdvisory>> = {
  jsonwebtoken: { major: 9, advisory: 'CVE-2022-23540, CVE-2022-23541' },
  'express-jwt': { major: 6, advisory: 'CVE-2020-15084' },
  'passport-jwt': { major: 4, minor: 0, patch: 1, advisory: 'CVE-2022-23540 through jsonwebtoken 8' },
  'fast-jwt': { major: 6, minor: 2, advisory: 'CVE-2023-48223, CVE-2026-34950' },
};

/** Versions of a library whose verify accepts unsigned ('none') tokens without an explicit 'none'. */
export interface NoneAdvisory {
  /** Below this version, verify without an allowlist accepts 'none' whatever the key (CVE-2015-9235). */
  anyKeyBelow: [number, number, number];
  /** Below this version, verify with a falsy key and no allowlist accepts 'none' (CVE-2022-23540). */
  falsyKeyBelow: [number, number, number];
}

export const NONE_ADVISORIES: Readonly<Record<string, NoneAdvisory>> = {
  jsonwebtoken: { anyKeyBelow: [4, 2, 2], falsyKeyBelow: [9, 0, 0] },
};
