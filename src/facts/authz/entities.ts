import path from 'node:path';
import { ts } from '@ts-morph/common';
import { defineProjectFact, defineTextTest, type AnalysisProject, type SourceFileInfo } from '../../core/project.js';
import { ACCOUNT_ENTITY, ACCOUNT_RELATION_TARGET, DRIZZLE_TABLE_FUNCTIONS, KNEX_TABLE_DEFINITIONS, OWNER_FIELD } from '../../models/data-access.js';
import { findAll, walk } from '../../core/walk.js';
import { resolveDeclaration } from '../routes/check-body.js';
import { getPropertyName, skipOuterExpressions } from '../scope.js';
import { evaluate, resolveOrigin, type Value } from '../values.js';

/** What the repository's own schema says about an entity. */
export interface EntityInfo {
  name: string;
  /** Field names when the schema was read; undefined when it could not be found. */
  fields?: string[];
  ownerField?: string;
  account: boolean;
}

function fromFields(name: string, fields: string[] | undefined, relations: Array<{ field: string; target: string }>): EntityInfo {
  const owner = fields?.find((f) => OWNER_FIELD.test(f)) ?? relations.find((r) => ACCOUNT_RELATION_TARGET.test(r.target))?.field;
  return { name, ...(fields ? { fields } : {}), ...(owner ? { ownerField: owner } : {}), account: ACCOUNT_ENTITY.test(name) };
}

/** A name only (`Order`, `orderRepository`): owned is unknown. */
export function entityByName(raw: string): EntityInfo {
  const name = raw.replace(/^this\./, '').replace(/(?:Repository|Repo|Model|Collection|Col|Entity)$/, '');
  return { name, account: ACCOUNT_ENTITY.test(name) };
}

function objectKeys(value: Value): Array<{ key: string; value: Value }> {
  return value.kind === 'object' ? [...value.props.entries()].map(([key, v]) => ({ key, value: v })) : [];
}

/** `ref: 'User'` inside a Mongoose field definition (also in arrays `[{ type, ref }]`). */
function refOf(value: Value): string | undefined {
  if (value.kind === 'array') return value.items.map(refOf).find((r) => r !== undefined);
  if (value.kind !== 'object') return undefined;
  const ref = value.props.get('ref');
  if (ref?.kind === 'string') return ref.value;
  const references = value.props.get('references');
  if (references?.kind === 'object') {
    const model = references.props.get('model');
    if (model?.kind === 'string') return model.value;
  }
  return undefined;
}

/** Fields of a schema object (`new Schema({ owner: { type: ObjectId, ref: 'User' } })`, `Model.init({ userId: … })`). */
export function entityFromSchemaObject(project: AnalysisProject, name: string, schema: Value): EntityInfo | undefined {
  // mongoose's Schema also works called without `new` (`mongoose.Schema({ user: … })`).
  const isConstruction = schema.kind === 'call' && (ts.isNewExpression(schema.call) || (schema.origin.kind === 'external' && schema.origin.module === 'mongoose' && schema.origin.path[schema.origin.path.length - 1] === 'Schema'));
  if (schema.kind === 'call' && isConstruction && schema.call.arguments?.[0]) {
    return entityFromSchemaObject(project, name, evaluate(project, schema.file, schema.call.arguments[0]));
  }
  if (schema.kind !== 'object') return undefined;
  const entries = objectKeys(schema);
  const relations = entries.map((e) => ({ field: e.key, target: refOf(e.value) ?? '' })).filter((r) => r.target !== '');
  return fromFields(name, entries.map((e) => e.key), relations);
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const expr = decorator.expression;
  const callee = ts.isCallExpression(expr) ? expr.expression : expr;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** Relation target of a TypeORM/MikroORM/Sequelize-typescript/Nest-mongoose property: `@ManyToOne(() => User)`, `@Prop({ ref: 'User' })`, its type. */
function relationTarget(member: ts.PropertyDeclaration): string | undefined {
  for (const decorator of ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : []) {
    const expr = decorator.expression;
    if (!ts.isCallExpression(expr)) continue;
    const name = decoratorName(decorator) ?? '';
    if (/^(?:ManyToOne|OneToOne|BelongsTo|ForeignKey|Reference)$/.test(name)) {
      const first = expr.arguments[0];
      const fn = first && skipOuterExpressions(first);
      if (fn && ts.isArrowFunction(fn) && ts.isIdentifier(fn.body)) return fn.body.text;
      if (fn && ts.isIdentifier(fn)) return fn.text;
      if (fn && ts.isStringLiteralLike(fn)) return fn.text;
    }
    if (name === 'Prop') {
      for (const arg of expr.arguments) {
        const text = arg.getText();
        const match = /ref:\s*(?:['"`](\w+)['"`]|(\w+)\.name)/.exec(text);
        if (match) return match[1] ?? match[2];
      }
    }
  }
  if (member.type && ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName)) return member.type.typeName.text;
  return undefined;
}

/**
 * Fields of an entity class (TypeORM `@Entity`, MikroORM, Nest-mongoose `@Schema`, sequelize-typescript `@Table`). Kept
 * by class node: the answer reads the class's own members only (whoever found the node read its file), and each access
 * of every route asks again.
 */
export function entityFromClass(cls: ts.ClassLikeDeclaration): EntityInfo {
  let known = ENTITIES.get(cls);
  if (!known) ENTITIES.set(cls, (known = readEntityClass(cls)));
  return known;
}

const ENTITIES = new WeakMap<ts.ClassLikeDeclaration, EntityInfo>();

function readEntityClass(cls: ts.ClassLikeDeclaration): EntityInfo {
  const fields: string[] = [];
  const relations: Array<{ field: string; target: string }> = [];
  for (const member of cls.members) {
    if (!ts.isPropertyDeclaration(member) || !member.name) continue;
    const name = getPropertyName(member.name);
    if (!name) continue;
    fields.push(name);
    const target = relationTarget(member);
    if (target) relations.push({ field: name, target });
  }
  return fromFields(cls.name?.text ?? 'entity', fields, relations);
}

/** The class an identifier names, across repository files. */
export function resolveClassDeclaration(project: AnalysisProject, file: SourceFileInfo, expr: ts.Expression): { file: SourceFileInfo; node: ts.ClassLikeDeclaration } | undefined {
  let inner = skipOuterExpressions(expr);
  // `Cat.name` in `@InjectModel(Cat.name)`
  if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'name') inner = skipOuterExpressions(inner.expression);
  if (!ts.isIdentifier(inner)) return undefined;
  const decl = resolveDeclaration(project, file, inner);
  if (decl && ts.isClassLike(decl.node)) return { file: decl.file, node: decl.node };
  return undefined;
}

/** Sequelize: `Order.init({ … })` or `Order.belongsTo(User)` next to `class Order extends Model`. */
export function entityFromSequelizeClass(cls: ts.ClassLikeDeclaration, file: SourceFileInfo, project: AnalysisProject): EntityInfo | undefined {
  const name = cls.name?.text;
  if (!name) return undefined;
  const relations: Array<{ field: string; target: string }> = [];
  let fields: string[] | undefined;
  file.sourceFile.forEachChild(function visit(node): void {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const receiver = node.expression.expression;
      const method = node.expression.name.text;
      const own = ts.isIdentifier(receiver) && receiver.text === name;
      if (own && method === 'init' && node.arguments[0]) {
        const value = evaluate(project, file, node.arguments[0]);
        if (value.kind === 'object') fields = [...value.props.keys()];
      }
      if (own && method === 'belongsTo' && node.arguments[0]) {
        const target = skipOuterExpressions(node.arguments[0]);
        const targetName = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : '';
        relations.push({ field: targetName, target: targetName });
      }
    }
    node.forEachChild(visit);
  });
  if (!fields && relations.length === 0) return undefined;
  return fromFields(name, fields ?? relations.map((r) => r.field), relations);
}

const prismaCache = new WeakMap<AnalysisProject, Map<string, EntityInfo>>();

/** Prisma models read from `schema.prisma` (data, never executed). */
export function getPrismaModels(project: AnalysisProject): Map<string, EntityInfo> {
  let models = prismaCache.get(project);
  if (models) return models;
  models = new Map();
  prismaCache.set(project, models);
  const candidates = new Set(['prisma/schema.prisma', 'schema.prisma', 'src/prisma/schema.prisma', 'prisma/schema/schema.prisma']);
  for (const file of project.files()) {
    const rel = path.posix.dirname(file.relPath);
    if (rel.split('/').length <= 2) candidates.add(path.posix.join(rel.split('/')[0] ?? '', 'prisma/schema.prisma'));
  }
  for (const candidate of candidates) {
    const text = project.readText(path.resolve(project.root, candidate));
    if (!text) continue;
    for (const match of text.matchAll(/^\s*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
      const name = match[1] as string;
      const fields: string[] = [];
      const relations: Array<{ field: string; target: string }> = [];
      for (const line of (match[2] ?? '').split('\n')) {
        const field = /^\s*(\w+)\s+(\w+)/.exec(line);
        if (!field || line.trim().startsWith('//') || line.trim().startsWith('@@')) continue;
        fields.push(field[1] as string);
        relations.push({ field: field[1] as string, target: field[2] as string });
      }
      const info = fromFields(name, fields, relations);
      models.set(name.toLowerCase(), info);
    }
  }
  return models;
}


/** Column names given as the first argument of the calls inside a Knex table builder (`t.integer('user_id')`). */
function knexColumns(builder: ts.Expression): string[] {
  const columns: string[] = [];
  walk(builder, (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      columns.push(node.arguments[0].text);
    }
  });
  return columns;
}

/** Drizzle columns: the keys of the column object and the SQL names given to the column builders. */
function drizzleColumns(columns: ts.Expression): { fields: string[]; relations: Array<{ field: string; target: string }> } {
  const fields: string[] = [];
  const relations: Array<{ field: string; target: string }> = [];
  const object = skipOuterExpressions(columns);
  if (!ts.isObjectLiteralExpression(object)) return { fields, relations };
  for (const property of object.properties) {
    const key = property.name ? getPropertyName(property.name) : undefined;
    if (!key || !ts.isPropertyAssignment(property)) continue;
    fields.push(key);
    walk(property.initializer, (node) => {
      if (!ts.isCallExpression(node)) return;
      const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
      if (first && ts.isStringLiteralLike(first) && ts.isIdentifier(node.expression)) fields.push(first.text);
      // `.references(() => users.id)`
      if (first && ts.isArrowFunction(first) && ts.isPropertyAccessExpression(first.body) && ts.isIdentifier(first.body.expression)) {
        relations.push({ field: key, target: first.body.expression.text.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase()) });
      }
    });
  }
  return { fields, relations };
}

/**
 * Tables defined in the repository for query builders, by lower-cased SQL name and by the Drizzle
 * variable that holds them: Knex migrations and Drizzle `pgTable`/`mysqlTable`/`sqliteTable` schemas.
 */
export function getQueryBuilderTables(project: AnalysisProject): Map<string, EntityInfo> {
  return project.projectFact(QUERY_BUILDER_TABLES);
}

/** The callee names a table definition is called by: a Knex schema method or a Drizzle table function. */
const TABLE_DEFINITION_NAMES = [...KNEX_TABLE_DEFINITIONS, ...DRIZZLE_TABLE_FUNCTIONS];

/**
 * Files that may define a Knex or Drizzle table (the search reads only these): the text has what the search tests
 * and one of the callee names as a word (`JoinTable(` or `loadSmartTable(` alone is not enough).
 */
// Every name of the pattern contains `Table`: the plain search (much faster than the pattern's) rules out nearly every file.
const mayDefineTables = defineTextTest(
  'query-builder-tables',
  (file: SourceFileInfo) => file.text.includes('Table') && /createTable|alterTable|Table\(/.test(file.text) && TABLE_DEFINITION_NAMES.some((name) => file.index.words.includes(name)),
);

const QUERY_BUILDER_TABLES = defineProjectFact('query-builder-tables', (project: AnalysisProject): Map<string, EntityInfo> => {
  const found = new Map<string, EntityInfo>();
  const add = (key: string, info: EntityInfo) => {
    const existing = found.get(key.toLowerCase());
    const fields = [...new Set([...(existing?.fields ?? []), ...(info.fields ?? [])])];
    found.set(key.toLowerCase(), fromFields(info.name, fields, info.ownerField && !fields.some((f) => OWNER_FIELD.test(f)) ? [{ field: info.ownerField, target: 'User' }] : []));
  };
  for (const file of project.files()) {
    if (!mayDefineTables(file)) continue;
    const text = file.text;
    const knex = text.includes('createTable') || text.includes('alterTable');
    const drizzle = text.includes('Table(');
    if (!knex && !drizzle) continue;
    for (const call of findAll(file.sourceFile, ts.isCallExpression)) {
      const callee = call.expression;
      const [nameArg, second] = call.arguments;
      if (!nameArg || !second || !ts.isStringLiteralLike(nameArg)) continue;
      if (knex && ts.isPropertyAccessExpression(callee) && KNEX_TABLE_DEFINITIONS.has(callee.name.text)) {
        add(nameArg.text, fromFields(nameArg.text, knexColumns(second), []));
      } else if (drizzle && ts.isIdentifier(callee) && DRIZZLE_TABLE_FUNCTIONS.has(callee.text)) {
        const origin = resolveOrigin(project, file, callee);
        if (origin.kind !== 'external' || !origin.module.startsWith('drizzle-orm')) continue;
        const { fields, relations } = drizzleColumns(second);
        const info = fromFields(nameArg.text, fields, relations);
        add(nameArg.text, info);
        if (ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name)) add(call.parent.name.text, info);
      }
    }
  }
  return found;
}, { plain: true });
