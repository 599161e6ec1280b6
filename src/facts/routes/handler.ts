import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import { walk } from '../../core/walk.js';
import {
  ACCOUNT_CREATION_CALLS,
  CAPTCHA_WORDS,
  CODE_VERIFICATION_CALLS,
  COMMAND_EXECUTION_CALLS,
  CREDENTIAL_ISSUING_VERBS,
  CREDENTIAL_NOUNS,
  IDENTITY_DECORATOR_WORDS,
  IDENTITY_READ_PATTERN,
  IDENTITY_READ_ROOTS,
  ONE_TIME_TOKEN_NAME,
  PASSWORD_CHECK_CALLS,
  PASSWORD_HASH_CALLS,
  PASSWORD_NAME,
  PASSWORD_VERIFY_EXPORTS,
  REQUEST_PARAMETER,
  SENSITIVE_VALUE_WORDS,
  STATE_WRITE_CALLS,
  SUBMITTED_PASSWORD_READ,
  TOKEN_ISSUING_CALLS,
} from '../../models/route-patterns.js';
import { findDeclaration, getChainRoot, getPropertyName, skipOuterExpressions } from '../scope.js';
import { resolveImportedName } from '../imports.js';
import { resolveOrigin, stripDefault } from '../values.js';
import { classifyFunction, classifyHandlerBody, getReturnedExpressions, getStepName, resolveFunction, resolveNamedCall, resolveServiceMethod, toChainStep } from './classify.js';
import { getJoinedWords, getWords } from './exposure.js';
import type { ChainStep, HandlerEvidence, SourceLocation } from './types.js';

/** How many calls deep the handler analysis follows repository functions and service methods. */
const MAX_DEPTH = 3;

interface FoundFunction {
  file: SourceFileInfo;
  fn: ts.FunctionLikeDeclaration;
}

function lineOf(file: SourceFileInfo, node: ts.Node): string {
  return `${file.relPath}:${file.sourceFile.getLineAndCharacterOfPosition(node.getStart(file.sourceFile)).line + 1}`;
}

/** The node whose range is exactly the location (or the innermost one covering it). */
function findNodeAt(file: SourceFileInfo, location: SourceLocation): ts.Node | undefined {
  let current: ts.Node = file.sourceFile;
  for (;;) {
    let next: ts.Node | undefined;
    current.forEachChild((child) => {
      if (next === undefined && child.getStart(file.sourceFile) <= location.start && child.getEnd() >= location.end) next = child;
    });
    if (!next) return current === file.sourceFile ? undefined : current;
    current = next;
    if (current.getStart(file.sourceFile) === location.start && current.getEnd() === location.end) return current;
  }
}

/** The function a route's handler location denotes: the function itself, a method's name, or an expression naming it. */
export function findHandlerFunction(project: AnalysisProject, file: SourceFileInfo, location: SourceLocation): FoundFunction | undefined {
  const node = findNodeAt(file, location);
  if (!node) return undefined;
  if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) return { file, fn: node as ts.FunctionLikeDeclaration };
  if (node.parent && (ts.isMethodDeclaration(node.parent) || ts.isPropertyDeclaration(node.parent)) && node.parent.name === node) {
    if (ts.isMethodDeclaration(node.parent) && node.parent.body) return { file, fn: node.parent };
    const init = ts.isPropertyDeclaration(node.parent) ? node.parent.initializer : undefined;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return { file, fn: init };
    return undefined;
  }
  if (ts.isExpression(node)) return resolveHandlerExpression(project, file, node, 0);
  return undefined;
}

/**
 * The request handler an expression denotes: a function, a name for one, what a factory call returns
 * (`retrieveLoggedInUser()` → `(req, res) => …`), or the one handler a wrapper receives (`asyncHandler(getUserProfile())`).
 */
function resolveHandlerExpression(project: AnalysisProject, file: SourceFileInfo, input: ts.Expression, depth: number): FoundFunction | undefined {
  const expr = skipOuterExpressions(input);
  if (depth > 3) return undefined;
  if (!ts.isCallExpression(expr)) {
    const direct = resolveFunction(project, file, expr);
    if (direct) return direct;
    const named = resolveNamedCall(project, file, expr);
    return named ? resolveHandlerExpression(project, named.file, named.call, depth + 1) : undefined;
  }
  const [only, ...others] = expr.arguments;
  if (only && others.length === 0 && !ts.isStringLiteralLike(only) && !ts.isObjectLiteralExpression(only)) {
    const wrapped = resolveHandlerExpression(project, file, only, depth + 1);
    if (wrapped) return wrapped;
  }
  const factory = resolveFunction(project, file, expr.expression);
  if (!factory) return resolveFunction(project, file, expr);
  const returned = getReturnedExpressions(factory.fn).map((r) => skipOuterExpressions(r));
  const fn = returned.find((r): r is ts.ArrowFunction | ts.FunctionExpression => ts.isArrowFunction(r) || ts.isFunctionExpression(r));
  if (fn) return { file: factory.file, fn };
  const named = returned[0];
  return named && ts.isIdentifier(named) ? resolveFunction(project, factory.file, named) : undefined;
}

/** A called repository function or a method of an injected service (`this.userService.create`). */
function resolveCallee(project: AnalysisProject, file: SourceFileInfo, callee: ts.Expression): FoundFunction | undefined {
  return resolveFunction(project, file, callee) ?? resolveServiceMethod(project, file, callee);
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** The names of PASSWORD_VERIFY_EXPORTS: only a call by one of them is resolved to its package. */
const PASSWORD_VERIFY_NAMES: ReadonlySet<string> = new Set([...PASSWORD_VERIFY_EXPORTS.values()].flatMap((names) => [...names]));

/** Whether a call's callee is a password-hashing package's compare (by import: `argon2.verify`, `compare` from bcrypt). */
function isPasswordVerifyCall(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): boolean {
  const origin = resolveOrigin(project, file, call.expression);
  if (origin.kind !== 'external') return false;
  const path = stripDefault(origin.path);
  return path.length === 1 && PASSWORD_VERIFY_EXPORTS.get(origin.module)?.has(path[0] as string) === true;
}

function matchesCallName(name: string, table: ReadonlySet<string>): boolean {
  return table.has(name) || table.has(getJoinedWords(name));
}

function namesCredentialIssue(name: string): boolean {
  const words = getWords(name);
  return words.some((w) => CREDENTIAL_ISSUING_VERBS.has(w)) && words.some((w) => CREDENTIAL_NOUNS.has(w));
}

/** `userRepository.save(user)`, `prisma.user.create(…)`, `User.create(req.body)`: generic creation calls on an account. */
const GENERIC_CREATE_CALLS = new Set(['create', 'save', 'insert', 'insertOne', 'createOne']);
const ACCOUNT_TEXT = /\b(?:user|users|account|accounts|User|UserEntity|Account)\b|user(?:Repository|Model|Repo)\b/;

interface Signals {
  identity?: string;
  writes?: string;
  servesAnonymous?: string;
  issuesToken?: string;
  passwordCheck?: string;
  createsAccount?: string;
  takesPassword?: string;
  checksCaptcha?: string;
  verifiesCode?: string;
  /** Reads a one-time token from the request body (`const { reset_password_token } = req.body`). */
  presentsToken?: string;
  exposes?: string;
  executes?: string;
}

/** The identity a handler reads is the Authorization header (Basic credentials it may check itself), not a verified caller. */
const AUTHORIZATION_HEADER_READ = /^reads (?:req|request|ctx\.request|ctx)\.headers(?:\.authorization|\[['"]authorization['"]\])/i;

function isOneTimeTokenName(name: string): boolean {
  return ONE_TIME_TOKEN_NAME.test(name.replace(/[-_]/g, '').toLowerCase());
}

/**
 * A parameter decorator built with `createParamDecorator(fn)` whose function verifies the token itself when one is sent
 * (nestjs-realworld's `@User()`): the identity it gives is verified when present, like optional authentication.
 */
function decoratorVerifies(project: AnalysisProject, file: SourceFileInfo, name: string): boolean {
  const resolved = resolveImportedName(project, file, name);
  const declaration = resolved?.kind === 'declaration' ? resolved : undefined;
  if (!declaration || !ts.isVariableDeclaration(declaration.node) || !declaration.node.initializer) return false;
  const init = skipOuterExpressions(declaration.node.initializer);
  const fn = ts.isCallExpression(init) ? init.arguments[0] : undefined;
  if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  return classifyFunction(project, declaration.file, fn).kind === 'authentication';
}

/**
 * A parameter decorator that verifies the token when one is sent and leaves the parameter empty otherwise
 * (nestjs-realworld's `@User()`): the handler has optional authentication of its own.
 */
function getVerifyingDecorator(project: AnalysisProject, found: FoundFunction): ReturnType<typeof classifyHandlerBody> {
  for (const parameter of found.fn.parameters) {
    for (const decorator of ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : []) {
      const expr = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
      if (!ts.isIdentifier(expr) || !decoratorVerifies(project, found.file, expr.text)) continue;
      return { kind: 'authentication', optional: true, source: 'body', reason: `the parameter decorator @${expr.text}() verifies a token when one is sent (${lineOf(found.file, decorator)}) and gives nothing otherwise` };
    }
  }
  return undefined;
}

/** Identity taken from a parameter decorator (`@User() user`, `@CurrentUser()`, `@Session()`). */
function getDecoratedIdentity(project: AnalysisProject, file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): string | undefined {
  for (const parameter of fn.parameters) {
    for (const decorator of ts.canHaveDecorators(parameter) ? (ts.getDecorators(parameter) ?? []) : []) {
      const expr = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
      const name = ts.isIdentifier(expr) ? expr.text : ts.isPropertyAccessExpression(expr) ? expr.name.text : '';
      if (getWords(name).some((w) => IDENTITY_DECORATOR_WORDS.has(w)) && !decoratorVerifies(project, file, name)) return `@${name}() at ${lineOf(file, decorator)}`;
    }
  }
  return undefined;
}

/** `res.send(…)`, `reply.send(…)`, `ctx.body`: answering the request changes nothing stored. */
function isResponseCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  let receiver: ts.Expression = callee.expression;
  while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression)) {
    // `crypto.createHash('sha256').update(text)` feeds a digest; it stores nothing.
    if (/^(?:createHash|createHmac|createCipheriv|createDecipheriv|createSign|createVerify)$/.test(receiver.expression.name.text)) return true;
    receiver = receiver.expression.expression;
  }
  if (!ts.isIdentifier(receiver)) return false;
  // `UsernameCheckResponseDto.create({ … })`: a data-transfer class builds the answer; it stores nothing.
  if (/(?:Dto|DTO)$/.test(receiver.text)) return true;
  return /^(?:res|response|reply|ctx|c|socket|io|hash|hmac|cipher|decipher|md5|sha\w*)$/.test(receiver.text) || isLocalCollection(receiver);
}

const COLLECTION_CLASSES = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);

/**
 * `const ids = new Map(); … ids.set(id, children)` inside a function: a collection made for this call, gone when it
 * returns, stores nothing. One declared at module level lives across requests and stays a write.
 */
function isLocalCollection(receiver: ts.Identifier): boolean {
  const decl = findDeclaration(receiver, receiver.text);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = skipOuterExpressions(decl.initializer);
  const made = (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && COLLECTION_CLASSES.has(init.expression.text)) || ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init);
  if (!made) return false;
  for (let current: ts.Node | undefined = decl.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) return true;
    if (ts.isSourceFile(current)) return false;
  }
  return false;
}

/**
 * Whether a condition asks if a caller is there: `!req.user`, `ctx.state.auth.user &&`, or a name bound to the caller
 * (`const { user } = ctx.state.auth; if (user)`).
 */
function testsForCaller(file: SourceFileInfo, condition: ts.Expression): boolean {
  if (PRESENCE_TEST.test(condition.getText(file.sourceFile))) return true;
  let expr = skipOuterExpressions(condition);
  while ((ts.isPrefixUnaryExpression(expr) && expr.operator === ts.SyntaxKind.ExclamationToken) || (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) {
    expr = skipOuterExpressions(ts.isPrefixUnaryExpression(expr) ? expr.operand : expr.left);
  }
  if (!ts.isIdentifier(expr) || !CALLER_NAMES.has(expr.text)) return false;
  const decl = findDeclaration(expr, expr.text);
  let init: ts.Expression | undefined;
  if (decl && ts.isVariableDeclaration(decl)) init = decl.initializer;
  else if (decl && ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent)) init = decl.parent.parent.initializer;
  return init !== undefined && IDENTITY_READ_PATTERN.test(skipOuterExpressions(init).getText(file.sourceFile).replace(/\s+/g, ''));
}

/** Names a handler gives the caller it read from the request. */
const CALLER_NAMES = new Set(['user', 'currentUser', 'actor', 'principal', 'viewer', 'caller']);

/** A condition that only asks whether a caller is there: `!req.user`, `req.user ?`, `if (req.user && …)`, `req.isAuthenticated()`. */
const PRESENCE_TEST = /(?:^|[^.\w])!?\s*(?:req|request|ctx\s*\.\s*state)\s*\.\s*(?:user|isAuthenticated\s*\(\s*\))\s*(?:$|&&|\|\||\))/;

/** A handler named for what it reveals (`getConfig`, `getSecrets`) or answering a variable so named (`return secrets`). */
function revealingName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const words = getWords(name);
  // `updateOnboardingConfig` changes the configuration; what it answers is not named by it.
  return !CHANGING_VERBS.has(words[0] ?? '') && words.some((w) => SENSITIVE_VALUE_WORDS.has(w));
}

const CHANGING_VERBS = new Set(['update', 'set', 'save', 'create', 'delete', 'remove', 'reset', 'patch', 'put', 'post', 'add', 'change', 'apply', 'upsert', 'clear', 'rotate']);

/** Whether a node sits inside what the handler answers: a `return`, or the arguments of `res.send/json/…`. */
function isAnswered(node: ts.Node, fn: ts.FunctionLikeDeclaration, followed: Set<string> = new Set()): boolean {
  for (let current: ts.Node | undefined = node; current && current !== fn; current = current.parent) {
    // An arrow function's expression body is its answer (`(req, res) => process.env`).
    if (current === fn.body && !ts.isBlock(current)) return true;
    if (current === node) continue;
    if (ts.isReturnStatement(current)) return true;
    if (ts.isCallExpression(current)) {
      const name = calleeName(current);
      if (name && ['send', 'json', 'jsonp', 'end', 'render', 'body'].includes(name)) return true;
    }
    // `const result = { env: process.env }; res.json(result)`: the variable is answered later.
    if (ts.isVariableDeclaration(current)) return ts.isIdentifier(current.name) && isNameAnswered(current.name.text, fn, followed);
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(current.left)) return isNameAnswered(current.left.text, fn, followed);
  }
  return false;
}

/** Whether the handler answers a local variable as a whole (`res.json(result)`, `return result`). */
function isNameAnswered(name: string, fn: ts.FunctionLikeDeclaration, followed: Set<string>): boolean {
  let answered = false;
  // `user = sign(user)` passes the variable to its own assignment: follow each name once.
  if (!fn.body || followed.has(name)) return false;
  followed.add(name);
  walk(fn.body, (node) => {
    if (answered) return false;
    if (ts.isIdentifier(node) && node.text === name && !ts.isVariableDeclaration(node.parent) && !(ts.isBinaryExpression(node.parent) && node.parent.left === node)) {
      const parent = node.parent;
      if ((ts.isReturnStatement(parent) || (ts.isCallExpression(parent) && parent.arguments.includes(node))) && isAnswered(node, fn, followed)) answered = true;
    }
    return undefined;
  });
  return answered;
}

/** `const { email, password } = req.body` (or `ctx.request.body`). */
function isBodyDestructuring(file: SourceFileInfo, element: ts.BindingElement): boolean {
  const declaration = element.parent.parent;
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return false;
  return /^(?:req|request|ctx\.request)\.body$/.test(skipOuterExpressions(declaration.initializer).getText(file.sourceFile).replace(/\s+/g, ''));
}

/** Whether a call runs once per item: inside a loop or a callback of `map`/`forEach` (an import creating many accounts). */
function isRepeated(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isIterationStatement(current, false)) return true;
    if (ts.isFunctionLike(current) && ts.isCallExpression(current.parent)) {
      const name = calleeName(current.parent);
      if (name && ['map', 'forEach', 'flatMap', 'reduce'].includes(name)) return true;
    }
  }
  return false;
}

const COMMAND_EXECUTION_NAMES = new Set(COMMAND_EXECUTION_CALLS.flatMap((c) => c.names));

/** A child_process/execa/shelljs call whose command is built at run time (not one string constant). */
function runsBuiltCommand(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, name: string): boolean {
  const command = call.arguments[0];
  if (!COMMAND_EXECUTION_NAMES.has(name) || !command || ts.isStringLiteralLike(skipOuterExpressions(command))) return false;
  const origin = resolveOrigin(project, file, call.expression);
  if (origin.kind !== 'external') return false;
  const path = stripDefault(origin.path);
  return path.length === 1 && COMMAND_EXECUTION_CALLS.some((c) => c.modules.includes(origin.module) && c.names.includes(path[0] as string));
}

/**
 * `ctx` in `async (req, res, ctx) => ctx.auth.user.getWebSession(…)` is a value passed beside the request (flossbank
 * hands its Fastify instance to every handler), not Koa's request context: its `auth` is a service, not the caller.
 */
function isPassedBesideRequest(access: ts.Expression): boolean {
  const root = getChainRoot(access);
  if (!root || !ts.isIdentifier(root)) return false;
  const decl = findDeclaration(root, root.text);
  if (!decl || !ts.isParameter(decl) || !ts.isFunctionLike(decl.parent)) return false;
  const params = decl.parent.parameters;
  const first = params[0];
  return params.indexOf(decl) > 0 && first !== undefined && ts.isIdentifier(first.name) && REQUEST_PARAMETER.test(first.name.text);
}

/**
 * Whether a member chain's text may start with one of IDENTITY_READ_ROOTS: its leftmost token, reached through members,
 * elements and calls, is such a name (`this`, which never is, aside; any other leftmost expression is left to the
 * pattern). Most chains of a body (`this.repo.find`, `foo.bar`) are told apart without reading their text.
 */
function mayStartAtRequest(chain: ts.Expression): boolean {
  let current: ts.Expression = chain;
  for (;;) {
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current)) current = current.expression;
    else if (ts.isIdentifier(current)) return IDENTITY_READ_ROOTS.has(current.text);
    else return current.kind !== ts.SyntaxKind.ThisKeyword;
  }
}

function scan(project: AnalysisProject, found: FoundFunction, s: Signals, depth: number, seen: Set<ts.Node>): void {
  const { file, fn } = found;
  if (!fn.body || seen.has(fn)) return;
  seen.add(fn);
  s.identity ??= getDecoratedIdentity(project, file, fn);
  const body = fn.body;
  if (!s.exposes && depth === 0 && ts.isMethodDeclaration(fn) && revealingName(getPropertyName(fn.name))) s.exposes = `handler '${fn.name.getText(file.sourceFile)}' at ${lineOf(file, fn)}`;
  walk(body, (node) => {
    if (!s.presentsToken && ts.isBindingElement(node) && isOneTimeTokenName((node.propertyName ?? node.name).getText(file.sourceFile)) && isBodyDestructuring(file, node)) {
      s.presentsToken = `reads '${(node.propertyName ?? node.name).getText(file.sourceFile)}' from the request body at ${lineOf(file, node)}`;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      // Every member access of every scanned body comes here: its text is read at most once, and the tests on its name
      // alone come before those on its text.
      let text: string | undefined;
      const textOf = (): string => (text ??= node.getText(file.sourceFile));
      if (!s.identity && !ts.isPropertyAccessExpression(node.parent) && mayStartAtRequest(node) && IDENTITY_READ_PATTERN.test(textOf()) && !isPassedBesideRequest(node)) {
        s.identity = `reads ${textOf().replace(/\s+/g, '')} at ${lineOf(file, node)}`;
      }
      if (!s.checksCaptcha && ts.isPropertyAccessExpression(node) && getWords(node.name.text).some((w) => CAPTCHA_WORDS.has(w)) && /^(?:req|request)\.body$/.test(node.expression.getText(file.sourceFile).replace(/\s+/g, ''))) {
        s.checksCaptcha = `reads ${textOf().replace(/\s+/g, '')} at ${lineOf(file, node)}`;
      }
      // The read's last name holds the whole of what SUBMITTED_PASSWORD_READ takes for a password, so a name without one cannot match.
      if (!s.presentsToken && ts.isPropertyAccessExpression(node) && isOneTimeTokenName(node.name.text) && /^(?:req|request|ctx\.request)\.body$/.test(node.expression.getText(file.sourceFile).replace(/\s+/g, ''))) {
        s.presentsToken = `reads ${textOf().replace(/\s+/g, '')} at ${lineOf(file, node)}`;
      }
      if (!s.takesPassword && ts.isPropertyAccessExpression(node) && PASSWORD_NAME.test(node.name.text) && SUBMITTED_PASSWORD_READ.test(textOf().replace(/\s+/g, ''))) {
        s.takesPassword = `reads ${textOf().replace(/\s+/g, '')} at ${lineOf(file, node)}`;
      }
      if (!s.exposes && depth === 0 && ts.isPropertyAccessExpression(node) && node.name.text === 'env' && textOf() === 'process.env' && !ts.isPropertyAccessExpression(node.parent) && !ts.isElementAccessExpression(node.parent) && isAnswered(node, fn)) {
        s.exposes = `process.env at ${lineOf(file, node)}`;
      }
    } else if (!s.servesAnonymous && depth === 0 && (ts.isIfStatement(node) || ts.isConditionalExpression(node)) && testsForCaller(file, ts.isIfStatement(node) ? node.expression : node.condition)) {
      s.servesAnonymous = `tests for a caller at ${lineOf(file, node)}`;
    } else if (ts.isReturnStatement(node) && node.expression && ts.isIdentifier(skipOuterExpressions(node.expression))) {
      const returned = skipOuterExpressions(node.expression) as ts.Identifier;
      if (!s.exposes && depth === 0 && revealingName(returned.text)) s.exposes = `returns '${returned.text}' at ${lineOf(file, node)}`;
    } else if (ts.isBindingElement(node) && !s.takesPassword && PASSWORD_NAME.test((node.propertyName ?? node.name).getText(file.sourceFile)) && isBodyDestructuring(file, node)) {
      s.takesPassword = `reads '${(node.propertyName ?? node.name).getText(file.sourceFile)}' from the request body at ${lineOf(file, node)}`;
    } else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const key = getPropertyName(node.name) ?? '';
      if (!s.exposes && depth === 0 && getWords(key).some((w) => SENSITIVE_VALUE_WORDS.has(w)) && isAnswered(node, fn)) {
        s.exposes = `'${key}' at ${lineOf(file, node)}`;
      }
    } else if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name) {
        // Where the call is, only when a signal records it: most calls record none.
        const at = (): string => `${name}() at ${lineOf(file, node)}`;
        if (!s.issuesToken && (matchesCallName(name, TOKEN_ISSUING_CALLS) || namesCredentialIssue(name))) s.issuesToken = at();
        const hashCheck = PASSWORD_VERIFY_NAMES.has(name) && isPasswordVerifyCall(project, file, node);
        if (!s.passwordCheck && (hashCheck || matchesCallName(name, PASSWORD_CHECK_CALLS))) s.passwordCheck = at();
        if (!s.createsAccount && (matchesCallName(name, ACCOUNT_CREATION_CALLS) || (GENERIC_CREATE_CALLS.has(name) && ACCOUNT_TEXT.test(node.getText(file.sourceFile)))) && !isRepeated(node, fn)) s.createsAccount = at();
        if (!s.takesPassword && matchesCallName(name, PASSWORD_HASH_CALLS) && (PASSWORD_NAME.test(name) || node.arguments.some((a) => PASSWORD_NAME.test(a.getText(file.sourceFile))))) s.takesPassword = `hashes a password with ${at()}`;
        if (!s.verifiesCode && !hashCheck && matchesCallName(name, CODE_VERIFICATION_CALLS)) s.verifiesCode = at();
        if (!s.writes && STATE_WRITE_CALLS.has(name.toLowerCase()) && !isResponseCall(node)) s.writes = at();
        if (!s.executes && runsBuiltCommand(project, file, node, name)) s.executes = at();
        if (!s.checksCaptcha && getWords(name).some((w) => CAPTCHA_WORDS.has(w))) s.checksCaptcha = `calls ${at()}`;
        if (!s.exposes && depth === 0 && getWords(name).some((w) => SENSITIVE_VALUE_WORDS.has(w)) && isAnswered(node, fn)) s.exposes = at();
        if (depth < MAX_DEPTH) {
          const target = resolveCallee(project, file, node.expression);
          if (target) scan(project, target, s, depth + 1, seen);
        }
      }
    }
    return undefined;
  });
}

const REFUSING_STATUSES = new Set(['405', '501']);

/**
 * A handler that answers 405 or 501 and calls nothing but methods of its own parameters (`ctx.set('Allow', 'POST')`,
 * `res.status(405).end()`): the method is registered only to refuse it.
 */
function getMethodRefusal(file: SourceFileInfo, fn: ts.FunctionLikeDeclaration): string | undefined {
  if (!fn.body) return undefined;
  let refusal: string | undefined;
  let other = false;
  walk(fn.body, (node) => {
    if (other || (node !== fn.body && ts.isFunctionLike(node))) return false;
    if (ts.isNumericLiteral(node) && REFUSING_STATUSES.has(node.text)) refusal ??= `answers ${node.text} at ${lineOf(file, node)}`;
    else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const root = getChainRoot(node.expression, true);
      const decl = root && ts.isIdentifier(root) ? findDeclaration(root, root.text) : undefined;
      if (!decl || !ts.isParameter(decl) || decl.parent !== fn) other = true;
    }
    return undefined;
  });
  return other ? undefined : refusal;
}

/** What a route handler does that decides how a missing authentication is judged. */
export function getHandlerEvidence(project: AnalysisProject, found: FoundFunction): HandlerEvidence {
  const s: Signals = {};
  scan(project, found, s, 0, new Set());
  const evidence: HandlerEvidence = {};
  if (s.identity) evidence.identity = s.identity;
  if (s.exposes) evidence.exposes = s.exposes;
  if (s.executes) evidence.executes = s.executes;
  evidence.writes = s.writes ?? false;
  if (s.createsAccount && !s.identity) evidence.createsAccount = s.createsAccount;
  if (s.takesPassword && !s.identity) evidence.takesPassword = s.takesPassword;
  if (s.checksCaptcha) evidence.checksCaptcha = s.checksCaptcha;
  if (s.servesAnonymous && s.identity) evidence.servesAnonymous = s.servesAnonymous;
  const refusal = !s.writes && !s.identity && !s.exposes && !s.executes ? getMethodRefusal(found.file, found.fn) : undefined;
  if (refusal) evidence.refusesMethod = refusal;
  // A credential flow hands out a credential to a caller who has none yet: it checks a password, creates the
  // account or checks a one-time code, and then issues a token or session.
  if (s.issuesToken && !s.identity) {
    const how = s.passwordCheck ? `checks a password (${s.passwordCheck})` : s.createsAccount ? `creates an account (${s.createsAccount})` : s.verifiesCode ? `verifies a one-time code (${s.verifiesCode})` : undefined;
    if (how) evidence.credentialFlow = `${how} and issues a credential (${s.issuesToken})`;
  }
  // A password reset completed by the token the reset message carried: the token is the credential.
  if (!evidence.credentialFlow && s.presentsToken && s.takesPassword && !s.identity && !s.issuesToken) {
    evidence.credentialFlow = `takes a one-time token (${s.presentsToken}) and sets the password it is sent (${s.takesPassword})`;
  }
  // A resource behind a password of its own (a protected link): the handler admits the caller by the password it checks,
  // sent in the body or as Basic credentials.
  if (s.passwordCheck && !s.issuesToken && (!s.identity || AUTHORIZATION_HEADER_READ.test(s.identity))) evidence.checksPassword = s.passwordCheck;
  return evidence;
}

/**
 * The evidence of a route registered by several calls (`app.post('/api/Users', check)` then `app.post('/api/Users',
 * create)`): each call runs for the same requests, so what one of them does the route does. The first write found wins;
 * `writes` is false only when every registration was read and none writes.
 */
export function mergeHandlerEvidence(list: ReadonlyArray<HandlerEvidence | undefined>): HandlerEvidence | undefined {
  const read = list.filter((e): e is HandlerEvidence => e !== undefined);
  if (read.length === 0) return undefined;
  const merged: HandlerEvidence = {};
  for (const evidence of read) {
    for (const key of ['identity', 'exposes', 'executes', 'credentialFlow', 'checksPassword', 'createsAccount', 'takesPassword', 'checksCaptcha', 'servesAnonymous', 'refusesMethod'] as const) {
      const value = evidence[key];
      if (value !== undefined && merged[key] === undefined) merged[key] = value;
    }
    if (typeof evidence.writes === 'string' && typeof merged.writes !== 'string') merged.writes = evidence.writes;
  }
  if (merged.writes === undefined && read.length === list.length) merged.writes = false;
  // A caller-dependent answer (`servesAnonymous`) and an account created for a new caller only count without an identity.
  if (merged.identity) {
    delete merged.createsAccount;
    delete merged.takesPassword;
  }
  // One registration that refuses the method does not make another that serves it a refusal.
  if (merged.refusesMethod && read.some((e) => !e.refusesMethod)) delete merged.refusesMethod;
  return merged;
}

/**
 * Authentication done by the handler itself (or the helpers it calls): it reads a token, verifies it and rejects the
 * request when verification fails. Returned as a chain step of scope `handler`.
 */
export function getHandlerAuthentication(project: AnalysisProject, found: FoundFunction): ChainStep | undefined {
  const classification = classifyHandlerBody(project, found.file, found.fn) ?? getVerifyingDecorator(project, found);
  if (!classification) return undefined;
  const name = ts.isMethodDeclaration(found.fn) && found.fn.name ? `${getPropertyName(found.fn.name) ?? 'handler'} (handler)` : `${getStepName(found.file, found.fn)} (handler)`;
  return toChainStep(classification, { name, file: found.file, node: found.fn, scope: 'handler' });
}
