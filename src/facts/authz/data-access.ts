import { ts } from '@ts-morph/common';
import type { AnalysisProject, SourceFileInfo } from '../../core/project.js';
import {
  BULK_READ_METHODS,
  DATA_ACCESS_LIBRARIES,
  DISTINCT_DATA_METHODS,
  MODEL_RECEIVER_NAME,
  MONGOOSE,
  DRIZZLE_RELATIONAL,
  PRISMA,
  QUERY_BUILDER_FILTER_METHODS,
  QUERY_BUILDER_OPERATIONS,
  QUERY_BUILDER_PACKAGES,
  QUERY_BUILDER_TABLE_METHODS,
  SEQUELIZE,
  TYPEORM,
  type DataAccessLibrary,
  type DataMethod,
} from '../../models/data-access.js';
import { walk } from '../../core/walk.js';
import { getChainRoot, getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, findEnclosingClass, resolveOrigin, stripDefault, type Origin } from '../values.js';
import {
  entityByName,
  entityFromClass,
  entityFromSchemaObject,
  entityFromSequelizeClass,
  getPrismaModels,
  getQueryBuilderTables,
  resolveClassDeclaration,
  type EntityInfo,
} from './entities.js';

export interface DataAccessCall {
  library: string;
  method: DataMethod;
  /** The call loads many records. */
  bulk: boolean;
  /** The expressions that select the records. */
  filters: ts.Expression[];
  entity?: EntityInfo;
}

function libraryOfModule(module: string): DataAccessLibrary | undefined {
  return DATA_ACCESS_LIBRARIES.find((l) => l.packages.includes(module) || (l.name === 'mikro-orm' && module.startsWith('@mikro-orm/')));
}

function whereOf(arg: ts.Expression | undefined): ts.Expression[] {
  if (!arg) return [];
  const expr = skipOuterExpressions(arg);
  if (ts.isObjectLiteralExpression(expr)) {
    const where = expr.properties.find((p) => p.name && getPropertyName(p.name) === 'where');
    if (where && ts.isPropertyAssignment(where)) return [where.initializer];
    if (where && ts.isShorthandPropertyAssignment(where)) return [where.name];
    return [];
  }
  return [expr];
}

function filtersOf(method: DataMethod, args: readonly ts.Expression[]): ts.Expression[] {
  switch (method.filter) {
    case 'arg0':
    case 'id0':
    case 'options0':
      return args[0] ? [args[0]] : [];
    case 'where0':
      return whereOf(args[0]);
    case 'where1':
      return whereOf(args[1]);
    case 'entity1':
      return args[1] ? [args[1]] : [];
  }
}

const dependencyMemo = new WeakMap<AnalysisProject, DataAccessLibrary | null>();

/** The one model library the project depends on, used for receivers that cannot be followed (`Order.findOne`). */
function soleModelLibrary(project: AnalysisProject): DataAccessLibrary | undefined {
  let memo = dependencyMemo.get(project);
  if (memo === undefined) {
    const found = [MONGOOSE, SEQUELIZE, TYPEORM].filter((l) => l.packages.some((p) => project.getDependencyVersion(p) !== undefined));
    memo = found.length === 1 ? (found[0] as DataAccessLibrary) : null;
    dependencyMemo.set(project, memo);
  }
  return memo ?? undefined;
}

/** The class an origin points into, when it is an instance of a repository class (`this.prisma`, `this.usersRepository`). */
function originClass(origin: Origin): { file: SourceFileInfo; node: ts.ClassLikeDeclaration } | undefined {
  return origin.kind === 'local' && ts.isClassLike(origin.node) ? { file: origin.file, node: origin.node } : undefined;
}

/** The package a local class extends (`class PrismaService extends PrismaClient`, `class UserRepository extends Repository<User>`). */
function extendedLibrary(project: AnalysisProject, cls: { file: SourceFileInfo; node: ts.ClassLikeDeclaration }): { library: DataAccessLibrary; typeArg?: ts.TypeNode } | undefined {
  const heritage = cls.node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (!heritage) return undefined;
  const origin = resolveOrigin(project, cls.file, heritage.expression);
  const library = origin.kind === 'external' ? libraryOfModule(origin.module) : undefined;
  return library ? { library, ...(heritage.typeArguments?.[0] ? { typeArg: heritage.typeArguments[0] } : {}) } : undefined;
}

/** `this.usersRepository` declared as `@InjectRepository(User) private usersRepository: Repository<User>` / `@InjectModel(Cat.name) catModel: Model<Cat>`. */
function injectedEntity(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): EntityInfo | undefined {
  if (!ts.isPropertyAccessExpression(receiver) || receiver.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const cls = findEnclosingClass(receiver);
  if (!cls) return undefined;
  const name = receiver.name.text;
  const candidates: Array<ts.ParameterDeclaration | ts.PropertyDeclaration> = [];
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member) && member.name && getPropertyName(member.name) === name) candidates.push(member);
    if (ts.isConstructorDeclaration(member)) for (const p of member.parameters) if (ts.isIdentifier(p.name) && p.name.text === name) candidates.push(p);
  }
  for (const decl of candidates) {
    for (const decorator of ts.canHaveDecorators(decl) ? (ts.getDecorators(decl) ?? []) : []) {
      const expr = decorator.expression;
      if (ts.isCallExpression(expr) && ts.isIdentifier(expr.expression) && /^Inject(?:Repository|Model)$/.test(expr.expression.text) && expr.arguments[0]) {
        const cls = resolveClassDeclaration(project, file, expr.arguments[0]);
        if (cls) return entityFromClass(cls.node);
        const arg = skipOuterExpressions(expr.arguments[0]);
        if (ts.isStringLiteralLike(arg)) return entityByName(arg.text);
      }
    }
    const type = decl.type;
    const typeArg = type && ts.isTypeReferenceNode(type) ? type.typeArguments?.[0] : undefined;
    if (typeArg && ts.isTypeReferenceNode(typeArg) && ts.isIdentifier(typeArg.typeName)) {
      const cls = resolveClassDeclaration(project, file, typeArg.typeName);
      if (cls) return entityFromClass(cls.node);
      return entityByName(typeArg.typeName.text);
    }
  }
  return undefined;
}

/** A Mongoose model or Sequelize model behind an identifier: `mongoose.model('Order', schema)`, `class Order extends Model`, `sequelize.define('Order', {…})`. */
function modelEntity(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): { entity: EntityInfo; library?: DataAccessLibrary } | undefined {
  const value = evaluate(project, file, receiver);
  if (value.kind === 'call') {
    const callee = value.call.expression;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const args = value.call.arguments ?? [];
    const nameArg = args[0] ? evaluate(project, value.file, args[0]) : undefined;
    const name = nameArg?.kind === 'string' ? nameArg.value : undefined;
    if (name && (method === 'model' || method === 'define')) {
      const schema = args[1] ? evaluate(project, value.file, args[1]) : undefined;
      const library = method === 'model' ? MONGOOSE : SEQUELIZE;
      return { entity: (schema && entityFromSchemaObject(project, name, schema)) ?? entityByName(name), library };
    }
  }
  const cls = resolveClassDeclaration(project, file, receiver);
  if (cls) {
    const extended = extendedLibrary(project, cls);
    if (extended?.library === SEQUELIZE) return { entity: entityFromSequelizeClass(cls.node, cls.file, project) ?? entityFromClass(cls.node), library: SEQUELIZE };
    if (extended) return { entity: entityFromClass(cls.node), library: extended.library };
    return { entity: entityFromClass(cls.node) };
  }
  return undefined;
}

function receiverName(receiver: ts.Expression): string | undefined {
  const r = skipOuterExpressions(receiver);
  if (ts.isIdentifier(r)) return r.text;
  if (ts.isPropertyAccessExpression(r)) return r.name.text;
  return undefined;
}

/** `prisma.order.findUnique(...)`, `this.prisma.order.update(...)`: the receiver's holder is a Prisma client. */
function prismaModel(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): string | undefined {
  const r = skipOuterExpressions(receiver);
  if (!ts.isPropertyAccessExpression(r)) return undefined;
  const holder = r.expression;
  const origin = resolveOrigin(project, file, holder);
  const isPrisma =
    (origin.kind === 'external' && origin.module === '@prisma/client') ||
    (() => {
      const cls = originClass(origin);
      return cls !== undefined && extendedLibrary(project, cls)?.library === PRISMA;
    })() ||
    (origin.kind !== 'external' && /^(?:prisma|prismaClient|prismaService|db)$/i.test(receiverName(holder) ?? ''));
  return isPrisma ? r.name.text : undefined;
}

/** `db.query.page.findFirst(...)`: the table of a Drizzle relational query, when the client is Drizzle's or named like a database. */
function drizzleRelationalTable(project: AnalysisProject, file: SourceFileInfo, receiver: ts.Expression): string | undefined {
  const r = skipOuterExpressions(receiver);
  if (!ts.isPropertyAccessExpression(r)) return undefined;
  const query = skipOuterExpressions(r.expression);
  if (!ts.isPropertyAccessExpression(query) || query.name.text !== 'query') return undefined;
  const client = skipOuterExpressions(query.expression);
  const origin = resolveOrigin(project, file, client);
  // The client often comes from a workspace package of its own (`import { db } from '@acme/db'`): its name decides then.
  const isDrizzle = (origin.kind === 'external' && origin.module.startsWith('drizzle-orm')) || /^(?:db|database|tx|trx)$/i.test(receiverName(client) ?? '');
  return isDrizzle ? r.name.text : undefined;
}

/** Reads a call as a query of a data-access library, when it is one. */
export function recognizeDataAccess(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression): DataAccessCall | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (QUERY_BUILDER_FILTER_METHODS.has(callee.name.text)) return queryBuilder(project, file, call, callee);
  const found = recognizeModelCall(project, file, call, callee);
  return found && { ...found, bulk: found.method.operation === 'read' && BULK_READ_METHODS.has(callee.name.text) };
}

function recognizeModelCall(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, callee: ts.PropertyAccessExpression): Omit<DataAccessCall, 'bulk'> | undefined {
  const method = callee.name.text;
  const receiver = skipOuterExpressions(callee.expression);

  const table = drizzleRelationalTable(project, file, receiver);
  if (table !== undefined) {
    const m = DRIZZLE_RELATIONAL.methods[method];
    if (!m) return undefined;
    return { library: DRIZZLE_RELATIONAL.name, method: m, filters: filtersOf(m, call.arguments), entity: getQueryBuilderTables(project).get(table.toLowerCase()) ?? entityByName(table) };
  }

  const model = prismaModel(project, file, receiver);
  if (model !== undefined) {
    const m = PRISMA.methods[method];
    if (!m) return undefined;
    const entity = getPrismaModels(project).get(model.toLowerCase()) ?? entityByName(model);
    return { library: 'prisma', method: m, filters: filtersOf(m, call.arguments), entity };
  }

  const origin = resolveOrigin(project, file, receiver);
  let library = origin.kind === 'external' ? libraryOfModule(origin.module) : undefined;
  let entity: EntityInfo | undefined;
  const cls = originClass(origin);
  if (cls && stripDefault((origin as { path: string[] }).path)[0] === '#instance') {
    const extended = extendedLibrary(project, cls);
    if (extended) {
      library = extended.library;
      const arg = extended.typeArg;
      if (arg && ts.isTypeReferenceNode(arg) && ts.isIdentifier(arg.typeName)) {
        const entityClass = resolveClassDeclaration(project, cls.file, arg.typeName);
        entity = entityClass ? entityFromClass(entityClass.node) : entityByName(arg.typeName.text);
      }
    }
  }
  if (library) entity ??= injectedEntity(project, file, receiver) ?? (ts.isIdentifier(receiver) ? modelEntity(project, file, receiver)?.entity : undefined);
  // `manager.findOne(Order, { where })`, `em.find(Order, filter)`: the entity is the first argument.
  const first = call.arguments[0];
  if (library && (library.name === 'mikro-orm' || library === TYPEORM) && first) {
    const entityClass = resolveClassDeclaration(project, file, first);
    if (entityClass && (library !== TYPEORM || /manager|em$/i.test(receiverName(receiver) ?? ''))) {
      const m = library.methods[method];
      if (!m) return undefined;
      return { library: library.name, method: { ...m, filter: 'entity1' }, filters: library === TYPEORM ? whereOrSelf(call.arguments[1]) : call.arguments[1] ? [call.arguments[1]] : [], entity: entityFromClass(entityClass.node) };
    }
    // A MikroORM `EntityRepository` takes the filter first: `repository.findOne({ id })`.
    if (library.name === 'mikro-orm') {
      const m = library.methods[method];
      if (!m) return undefined;
      entity ??= injectedEntity(project, file, receiver) ?? entityByName(receiverName(receiver) ?? 'record');
      return { library: library.name, method: { ...m, filter: 'arg0' }, filters: [first], entity };
    }
  }
  if (!library && origin.kind !== 'external') {
    const found = modelEntity(project, file, receiver);
    if (found?.library) library = found.library;
    if (found) entity = found.entity;
    if (!library && found && MODEL_RECEIVER_NAME.test(receiverName(receiver) ?? '')) library = soleModelLibrary(project);
    if (!library && !found && isCollectionReceiver(receiver)) library = MONGOOSE;
  }
  if (library) {
    const m = library.methods[method];
    if (!m) return undefined;
    entity ??= entityByName(receiverName(receiver) ?? 'record');
    return { library: library.name, method: m, filters: filtersOf(m, call.arguments), entity };
  }
  const distinct = DISTINCT_DATA_METHODS[method];
  const name = receiverName(receiver);
  if (distinct && name && MODEL_RECEIVER_NAME.test(name) && origin.kind !== 'external') {
    return { library: 'orm', method: distinct, filters: filtersOf(distinct, call.arguments), entity: entityByName(name) };
  }
  return undefined;
}

function whereOrSelf(arg: ts.Expression | undefined): ts.Expression[] {
  if (!arg) return [];
  const where = whereOf(arg);
  return where.length > 0 ? where : [arg];
}

/** MongoDB's driver: `db.collection('orders').findOne(...)`, `ordersCollection.deleteOne(...)`. */
function isCollectionReceiver(receiver: ts.Expression): boolean {
  const r = skipOuterExpressions(receiver);
  if (ts.isCallExpression(r) && ts.isPropertyAccessExpression(r.expression) && r.expression.name.text === 'collection') return true;
  return /(?:Collection|Col)$/.test(receiverName(r) ?? '');
}

/**
 * `qb.andWhere('ro.organizationId = :id', …); qb.andWhere('ro.tenantId = :tenantId', …)`: where-calls
 * made one by one on a builder variable add to the same query, so each sees the others' values.
 */
function siblingFilters(call: ts.CallExpression, callee: ts.PropertyAccessExpression): ts.Expression[] {
  const builder = skipOuterExpressions(callee.expression);
  if (!ts.isIdentifier(builder)) return [];
  let scope: ts.Node | undefined = call.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope || ts.isSourceFile(scope)) return [];
  const out: ts.Expression[] = [];
  walk(scope, (node) => {
    if (node === call || !ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const receiver = skipOuterExpressions(node.expression.expression);
    if (ts.isIdentifier(receiver) && receiver.text === builder.text && QUERY_BUILDER_FILTER_METHODS.has(node.expression.name.text)) out.push(...node.arguments);
  });
  return out;
}

/** The member a chain starting at `this` reads first (`db` of `this.db.selectFrom('t').where(…)`). */
function getThisMemberName(expr: ts.Expression): string | undefined {
  let current = skipOuterExpressions(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(current) && skipOuterExpressions(current.expression).kind === ts.SyntaxKind.ThisKeyword) return current.name.text;
    if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isCallExpression(current) || ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
    else return undefined;
  }
}

/** Knex, Drizzle and Kysely chains, read at their `where` call: the operation comes from the rest of the chain. */
function queryBuilder(project: AnalysisProject, file: SourceFileInfo, call: ts.CallExpression, callee: ts.PropertyAccessExpression): DataAccessCall | undefined {
  const root = getChainRoot(callee, true);
  if (!root) return undefined;
  // `this.db.selectFrom(…)`: a repository class's injected connection, known by its member name as a plain `db` is.
  const rootName = ts.isIdentifier(root) ? root.text : getThisMemberName(callee);
  if (rootName === undefined) return undefined;
  const origin = ts.isIdentifier(root) ? resolveOrigin(project, file, root) : undefined;
  const fromPackage = origin?.kind === 'external' && QUERY_BUILDER_PACKAGES.some((p) => origin.module === p || origin.module.startsWith(`${p}/`));
  if (!fromPackage && !/^(?:knex|db|database|trx|qb)$/i.test(rootName)) return undefined;
  const methods: string[] = [];
  // `.where('id', '=', id).where('userId', '=', userId)`: the filters of one chain make one query, read at its first filter call.
  const chained: ts.Expression[] = [];
  let tableName: string | undefined;
  for (let node: ts.Node = call.parent; ts.isPropertyAccessExpression(node) || ts.isCallExpression(node) || ts.isAwaitExpression(node); node = node.parent) {
    if (ts.isPropertyAccessExpression(node)) methods.push(node.name.text);
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && QUERY_BUILDER_FILTER_METHODS.has(node.expression.name.text)) chained.push(...node.arguments);
  }
  for (let node: ts.Expression = callee.expression; ; ) {
    const inner = skipOuterExpressions(node);
    if (ts.isCallExpression(inner)) {
      const c = skipOuterExpressions(inner.expression);
      const name = ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : '';
      if (ts.isPropertyAccessExpression(c) && QUERY_BUILDER_FILTER_METHODS.has(name)) return undefined;
      methods.push(name);
      const arg = inner.arguments[0];
      if (arg && (QUERY_BUILDER_TABLE_METHODS.has(name) || ts.isIdentifier(c))) {
        const a = skipOuterExpressions(arg);
        tableName = ts.isStringLiteralLike(a) ? a.text : ts.isIdentifier(a) ? a.text : tableName;
      }
      node = inner.expression;
    } else if (ts.isPropertyAccessExpression(inner)) node = inner.expression;
    else break;
  }
  const operation = methods.map((m) => QUERY_BUILDER_OPERATIONS[m]).find((o) => o === 'delete' || o === 'update') ?? 'read';
  const bulk = operation === 'read' && !methods.includes('first');
  return { library: fromPackage && origin?.kind === 'external' ? origin.module.split('/')[0] as string : 'query-builder', method: { operation, filter: 'arg0' }, bulk, filters: [...call.arguments, ...chained, ...siblingFilters(call, callee)], ...(tableName ? { entity: getQueryBuilderTables(project).get(tableName.toLowerCase()) ?? entityByName(tableName) } : {}) };
}
