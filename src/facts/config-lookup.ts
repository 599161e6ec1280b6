import { ts } from '@ts-morph/common';
import { defineProjectFact, type AnalysisProject, type SourceFileInfo } from '../core/project.js';
import { CONFIG_LIBRARY_PACKAGES } from '../models/config-libraries.js';
import { findAll } from '../core/walk.js';
import { skipOuterExpressions } from './scope.js';
import { evaluate, getMember, resolveOrigin, type Value } from './values.js';

/** Method names of configuration services (`@nestjs/config`, node-config, convict) that read one key. */
export const CONFIG_GETTERS = new Set(['get', 'getOrThrow', 'require', 'getString']);

type Evaluator = (project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression) => Value;

/** NestJS `registerAs('app', () => ({ apiPrefix: … }))` factories of the project, by namespace. */
const REGISTERED_CONFIGS = defineProjectFact('nest-registered-configs', (project: AnalysisProject) => {
  const byNamespace = new Map<string, { file: SourceFileInfo; factory: ts.Expression }>();
  // The callee is the identifier `registerAs`: only files with that word hold such a call.
  for (const file of project.filesMentioning(['registerAs'])) {
    for (const call of findAll(file.sourceFile, ts.isCallExpression)) {
      const [namespace, factory] = call.arguments;
      const callee = skipOuterExpressions(call.expression);
      if (!namespace || !factory || !ts.isStringLiteralLike(namespace) || !(ts.isIdentifier(callee) && callee.text === 'registerAs')) continue;
      byNamespace.set(namespace.text, { file, factory });
    }
  }
  return byNamespace;
});

/** The value a `configService.get('app.apiPrefix')` lookup reads from a `registerAs('app', …)` factory. */
export function getRegisteredConfig(project: AnalysisProject, key: string, evaluateWith: Evaluator = evaluate): Value | undefined {
  const [namespace, ...path] = key.split('.');
  const entry = namespace && path.length > 0 ? project.projectFact(REGISTERED_CONFIGS).get(namespace) : undefined;
  if (!entry) return undefined;
  const factory = evaluateWith(project, entry.file, entry.factory);
  if (factory.kind !== 'function' || !factory.fn.body) return undefined;
  const body = factory.fn.body;
  const returned = ts.isBlock(body) ? body.statements.filter(ts.isReturnStatement).at(-1)?.expression : body;
  let value: Value | undefined = returned ? evaluateWith(project, factory.file, returned) : undefined;
  for (const step of path) value = value ? getMember(value, step) : undefined;
  return value;
}

/** A receiver that is a configuration service: an export of a configuration library, or a variable named like one. */
function isConfigReceiver(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): boolean {
  const origin = resolveOrigin(project, file, receiver);
  if (origin.kind === 'external' && CONFIG_LIBRARY_PACKAGES.has(origin.module)) return true;
  const inner = skipOuterExpressions(receiver);
  const name = ts.isPropertyAccessExpression(inner) ? inner.name.text : ts.isIdentifier(inner) ? inner.text : undefined;
  return name !== undefined && /config|settings/i.test(name);
}

/**
 * What a configuration lookup reads (`config.get('app.apiPrefix')`, `configService.getOrThrow('API_PREFIX', 'api')`):
 * the value of a `registerAs` factory when the key names one, otherwise an environment value named by the key
 * with the default argument as its fallback. Undefined when the call is not a configuration lookup.
 */
export function evaluateConfigLookup(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): Value | undefined {
  const callee = skipOuterExpressions(call.expression);
  const [keyArg, defaultArg] = call.arguments;
  if (!ts.isPropertyAccessExpression(callee) || !CONFIG_GETTERS.has(callee.name.text) || !keyArg) return undefined;
  if (!isConfigReceiver(project, file, callee.expression)) return undefined;
  const key = evaluate(project, file, keyArg);
  if (key.kind !== 'string') return undefined;
  const registered = getRegisteredConfig(project, key.value);
  if (registered && registered.kind !== 'unknown') return registered;
  const fallback = defaultArg ? evaluate(project, file, defaultArg) : undefined;
  return { kind: 'env', name: key.value, ...(fallback && fallback.kind !== 'object' ? { fallback } : {}), node: call, file };
}
