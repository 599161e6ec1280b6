/**
 * Base64 helpers and signature primitives that hand-rolled JWT code is built from.
 * Paths are export paths after `stripDefault` (a default or namespace import adds nothing).
 */

export type Base64Direction = 'decode' | 'encode';

export interface Base64Function {
  modules: readonly string[];
  path: readonly string[];
  direction: Base64Direction;
  /** How the call is named in messages. */
  label: string;
}

/** Package functions (and `'#global'` globals) that turn base64/base64url text into bytes or text, and back. The input is the first argument. */
export const BASE64_FUNCTIONS: readonly Base64Function[] = [
  { modules: ['base64url'], path: ['decode'], direction: 'decode', label: 'base64url.decode' },
  { modules: ['base64url'], path: ['toBuffer'], direction: 'decode', label: 'base64url.toBuffer' },
  { modules: ['base64url'], path: [], direction: 'encode', label: 'base64url' },
  { modules: ['base64url'], path: ['encode'], direction: 'encode', label: 'base64url.encode' },
  { modules: ['jose'], path: ['base64url', 'decode'], direction: 'decode', label: 'jose base64url.decode' },
  { modules: ['jose'], path: ['base64url', 'encode'], direction: 'encode', label: 'jose base64url.encode' },
  { modules: ['base64-url', 'universal-base64url', 'base-64', 'js-base64'], path: ['decode'], direction: 'decode', label: 'base64 decode' },
  { modules: ['base64-url', 'universal-base64url', 'base-64', 'js-base64'], path: ['encode'], direction: 'encode', label: 'base64 encode' },
  { modules: ['js-base64'], path: ['atob'], direction: 'decode', label: 'js-base64 atob' },
  { modules: ['js-base64'], path: ['toUint8Array'], direction: 'decode', label: 'js-base64 toUint8Array' },
  { modules: ['js-base64'], path: ['Base64', 'decode'], direction: 'decode', label: 'Base64.decode' },
  { modules: ['js-base64'], path: ['Base64', 'atob'], direction: 'decode', label: 'Base64.atob' },
  { modules: ['js-base64'], path: ['Base64', 'encode'], direction: 'encode', label: 'Base64.encode' },
  { modules: ['js-base64'], path: ['encodeURI'], direction: 'encode', label: 'js-base64 encodeURI' },
  { modules: ['js-base64'], path: ['Base64', 'encodeURI'], direction: 'encode', label: 'Base64.encodeURI' },
  { modules: ['buffer', 'node:buffer', '#global'], path: ['atob'], direction: 'decode', label: 'atob' },
  { modules: ['buffer', 'node:buffer', '#global'], path: ['btoa'], direction: 'encode', label: 'btoa' },
];


export const BUFFER_MODULES: readonly string[] = ['buffer', 'node:buffer'];
export const BASE64_ENCODINGS: readonly string[] = ['base64', 'base64url'];

export type SignatureKind = 'hmac' | 'sign' | 'verify';

export interface SignatureApi {
  /** Modules it is imported from; `'#global'` for globals (then the path starts at the global's name). */
  modules: readonly string[];
  path: readonly string[];
  /** Index of the argument holding the signed data. */
  dataArg: number;
  kind: SignatureKind;
  label: string;
}

const NODE_CRYPTO = ['crypto', 'node:crypto'];

/** Calls that MAC, sign or verify bytes; the data argument is what a JWT computes over `header.payload`. */
export const SIGNATURE_APIS: readonly SignatureApi[] = [
  { modules: NODE_CRYPTO, path: ['createHmac', '()', 'update'], dataArg: 0, kind: 'hmac', label: 'crypto.createHmac' },
  { modules: NODE_CRYPTO, path: ['createSign', '()', 'update'], dataArg: 0, kind: 'sign', label: 'crypto.createSign' },
  { modules: NODE_CRYPTO, path: ['createVerify', '()', 'update'], dataArg: 0, kind: 'verify', label: 'crypto.createVerify' },
  { modules: NODE_CRYPTO, path: ['sign'], dataArg: 1, kind: 'sign', label: 'crypto.sign' },
  { modules: NODE_CRYPTO, path: ['verify'], dataArg: 1, kind: 'verify', label: 'crypto.verify' },
  { modules: NODE_CRYPTO, path: ['subtle', 'sign'], dataArg: 2, kind: 'sign', label: 'crypto.subtle.sign' },
  { modules: NODE_CRYPTO, path: ['subtle', 'verify'], dataArg: 3, kind: 'verify', label: 'crypto.subtle.verify' },
  { modules: ['#global'], path: ['crypto', 'subtle', 'sign'], dataArg: 2, kind: 'sign', label: 'crypto.subtle.sign' },
  { modules: ['#global'], path: ['crypto', 'subtle', 'verify'], dataArg: 3, kind: 'verify', label: 'crypto.subtle.verify' },
  { modules: NODE_CRYPTO, path: ['webcrypto', 'subtle', 'sign'], dataArg: 2, kind: 'sign', label: 'crypto.subtle.sign' },
  { modules: NODE_CRYPTO, path: ['webcrypto', 'subtle', 'verify'], dataArg: 3, kind: 'verify', label: 'crypto.subtle.verify' },
  { modules: ['crypto-js'], path: ['HmacSHA256'], dataArg: 0, kind: 'hmac', label: 'CryptoJS.HmacSHA256' },
  { modules: ['crypto-js'], path: ['HmacSHA384'], dataArg: 0, kind: 'hmac', label: 'CryptoJS.HmacSHA384' },
  { modules: ['crypto-js'], path: ['HmacSHA512'], dataArg: 0, kind: 'hmac', label: 'CryptoJS.HmacSHA512' },
  { modules: ['crypto-js/hmac-sha256'], path: [], dataArg: 0, kind: 'hmac', label: 'CryptoJS.HmacSHA256' },
  { modules: ['crypto-js/hmac-sha512'], path: [], dataArg: 0, kind: 'hmac', label: 'CryptoJS.HmacSHA512' },
];
