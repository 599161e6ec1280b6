import { computeFileIndex } from './file-index.js';
import { scanImportSpecifiers } from './import-specifiers.js';

// What the CLI's threads run once before their first file, so that V8 optimises the functions they run on every file
// after those have taken their rare branches (see `warmUpParser` in parser-warm-up.ts). Loads no compiler.

const BQ = '`';
const DL = '${';

/**
 * Source that reaches most branches of TypeScript's scanner and parser: every compound operator, every numeric literal
 * form, string and template escapes, regular expressions, JSX, decorators, comment directives, a shebang, non-ASCII
 * whitespace and most declaration, statement, expression and type forms. Not valid code, and need not be.
 */
const WARM_UP_SOURCE = String.raw`#!/usr/bin/env node
/// <reference types="node" />
// @ts-ignore
// @ts-expect-error
/* block */ /** doc @param x */
'use strict';
import type { A as B } from './a';
import def, * as ns from "b";
import { c, d as e, type F } from 'c';
import eq = require('eq');
export * from './d'; export * as f from './e'; export { g as h, type F } from './f';
export default class K<T extends object = {}> extends Base implements I, J {
  static #count = 0; #priv?: string; declare readonly x!: number; accessor y = 1; protected z: string | undefined;
  static { K.#count++; }
  @Dec() @Dec2 @ns.Dec3({ a: 1 }) method<U>(this: K<T>, @Inject() a?: number, ...rest: U[]): asserts a is number { return; }
  get v(): number { return this.#priv?.length ?? 0; } set v(value) {}
  constructor(private readonly s: S, public t = 2) { super(); }
  [Symbol.iterator]() {} async *gen() { yield* other(); yield 1; await x; }
  abstract m(): void; override n() {} 'quoted'() {} 42() {}
}
declare module 'm' { export const q: number; }
declare global { interface Window { w: 1 } }
declare function df(a: number): void;
declare const dc: unique symbol;
namespace N.M { export enum E { A = 1 << 2, B = A | 4, C = 'c' } }
module Old {}
const enum CE { X }
abstract class Abs {}
type TT<T> = T extends (infer R)[] ? R : T extends ${BQ}a${DL}infer S}${BQ} ? S : never;
type Mapped<T> = { readonly [K in keyof T as ${BQ}get${DL}K & string}${BQ}]-?: T[K] } & { +readonly [K in 'a']+?: 1 };
type Fn = new (...args: any[]) => unknown; type Abst = abstract new () => object; type U1 = A | B & C;
type Tup = [a: string, b?: number, ...c: boolean[]]; type Ro = readonly string[]; type Idx = T['a'][number];
type Lit = 'a' | 1 | -1 | 1n | true | false | null | undefined | void | never | unknown | any | object | symbol | bigint;
type Q = typeof import('x'); type G = Array<Map<string, Set<number>>>; type P = (a: number) => a is 1;
interface I2<in out T> extends I3 { (x: number): string; new (x: number): I2<T>; [key: string]: unknown; method?(): void; readonly p: Q; get acc(): number; set acc(v: number); }
function over(a: string): string; function over(a: number): number; function over(a: any) { return a; }
function pred(x: unknown): x is string { return typeof x === 'string'; }
function* g() { const y = yield; }
async function af() { for await (const z of it) {} }
let n1 = 0xFF, n2 = 0b1010, n3 = 0o777, n4 = 1_000_000, n5 = 1e10, n6 = 1.5e-3, n7 = .5, n8 = 10n, n9 = 0xFFn, n10 = 5., n11 = 017, n12 = 09;
let s1 = 'a\'b\n\t\r\0\x41\u0041\u{1F600}\\\
', s2 = "d\"q", s3 = ${BQ}t \u0041 ${DL}n1 + ${BQ}in ${DL}n2}${BQ}} e${BQ}, s4 = tag${BQ}x${DL}1}y\u{41}${BQ}, s5 = ${BQ}${BQ};
let r1 = /ab+c/gi, r2 = /[/\]]\//u, r3 = a / b / c, r4 = (x) / 2, r5 = /(?<name>\d+)\k<name>/dgimsuy;
let ü = 1, \u0061bc = 2, $ = 3, _ = 4, ℮x = 5, $ref = 6, a$b$c = 7, \u{62}cd = 8, e\x66 = 9, 日本 = 10;
import /* why */ 'side-effect'; const lazy = require('\x61b'), other = require?.('./other'), dyn = import(// later
'./dyn');
x = a != b; x = a !== b; x = a == b; x = a === b; x %= 2; x &= 1; x &&= y; x ||= y; x ??= y; x **= 2; x <<= 1; x >>= 1; x >>>= 1;
x |= 1; x ^= 1; x--; --x; x++; ++x; x -= 1; x += 1; x *= 2; x /= 2; x = a ** b; x = a << b >> c >>> d; x = a < b > c <= d >= e;
x = a?.b?.[c]?.(d) ?? e; x = !a || ~b && c | d ^ e & f; x = a ? b : c; x = (void 0, typeof a, delete a.b); x = a!; x = <T>a; x = -a + +b;
x = a as const; x = b satisfies T; x = new.target; x = import.meta.url; x = await import('./dyn'); x = new Foo<T>(1); x = new Bar;
x = f<string>(a); x = a instanceof B; x = 'k' in o; x = class extends Base {}; x = function named() {}; x = super.m();
label: for (const [k, v] of Object.entries(o)) { if (k) continue label; else break label; }
for (let i = 0, j = 1; i < 10; i++) {} for (const k in o) {} for (;;) { break; } while (0) {} do {} while (0);
switch (x) { case 1: case 'a': break; default: }
try { throw new Error('e'); } catch { } finally { }
try {} catch (err: unknown) {}
with (o) {}
debugger;
const arrow = async <T,>(a: T, { b, c: [d] = [] }: any = {}): Promise<void> => { a; };
const a2 = (a) => a, a3 = a => ({ a }), a4 = async (): Promise<void> => {}, a5 = (a: number, b?: string) => void 0;
const obj = { a, b: 1, [c]: 2, ...d, get e() { return 1; }, set e(v) {}, async *f() {}, 'g': 1, 3: 4, h() {}, async i() {} };
const [aa, , bb = 1, ...cc] = arr;
var v1; let { p1, p2: { p3 } = {}, ...p4 } = o;
if (a) b(); else if (c) d(); else { e(); }
<<<<<<< HEAD
=======
>>>>>>> branch
export = foo;
export as namespace Lib;
export declare const ed: number;
export abstract class Ea {}
export async function eaf() {}
export { x as default };
${'\u00a0'}x;${'\u2028'}y;${'\r\n'}z;
`;

const WARM_UP_JSX = String.raw`const el = <div a="b" c={d} {...e} f data-x='y'>{g} text &amp; &#123; &#x7B; <br /><>frag</><N.M x:y="1" /><C<T> p={1} /></div>;
function Comp<T,>() { return <T>{x}</T>; }
const cond = a ? <A /> : <B>{/* comment */}{...children}</B>;
`;

/** The texts of the warm-up, by file name (the extension selects the parser's script kind); an empty one ends at once. */
export const WARM_UP_FILES: ReadonlyArray<readonly [string, string]> = [
  ['warm-up.ts', WARM_UP_SOURCE],
  ['warm-up.tsx', WARM_UP_SOURCE + WARM_UP_JSX],
  ['warm-up.js', WARM_UP_SOURCE],
  ['warm-up.jsx', WARM_UP_JSX],
  ['warm-up.mts', ''],
];

/**
 * The files a scan must have for the warm-ups to pay. They cost about 60 ms of CPU per thread; on nestjs-realworld-
 * example-app (36 files) no file took a branch the warm-up prepares (it added 27 optimising compilations and avoided
 * none), on juice-shop (639 files) 73 of 162 deoptimisations were avoided, on ever-gauzy (8,299 files) about 100.
 */
export const WARM_UP_MIN_FILES = 300;

/**
 * Computes what the reading and extraction threads compute of every text (`computeFileIndex`, `scanImportSpecifiers`)
 * for the warm-up texts, whose words hold escapes, `$` signs and non-ASCII letters and whose imports hold comments and
 * escapes: on ever-gauzy V8 optimised `computeFileIndex` ten times on the reading thread, each time after the optimised
 * code met a branch no file before had taken.
 */
export function warmUpTextSummary(): void {
  for (const [, text] of WARM_UP_FILES) {
    computeFileIndex(text);
    scanImportSpecifiers(text);
  }
}
