/**
 * Data-access libraries (auth-idioms C2): which calls load, change or delete records, and which
 * argument holds the filter that selects them. The authorization facts read these tables to find the
 * query that uses an id named by the request and to see whether the principal is part of its filter.
 */

export type DataOperation = 'read' | 'update' | 'delete' | 'create';

/**
 * Where a call's filter is:
 * `arg0` the first argument is the filter object (Mongoose `findOne(filter)`, TypeORM `findOneBy(where)`);
 * `id0` the first argument is the record's id (Mongoose `findById(id)`, Sequelize `findByPk(id)`);
 * `where0` the `where` property of the first argument (Prisma, Sequelize `findOne({ where })`, TypeORM `findOne({ where })`);
 * `where1` the `where` property of the second argument (Sequelize `update(values, { where })`);
 * `entity1` the second argument after an entity class (MikroORM and TypeORM `em.findOne(Entity, filter)`);
 * `options0` TypeORM's older `findOne(idOrConditions)`: an id, a conditions object or `{ where }`.
 */
export type FilterShape = 'arg0' | 'id0' | 'where0' | 'where1' | 'entity1' | 'options0';

export interface DataMethod {
  operation: DataOperation;
  filter: FilterShape;
}

export interface DataAccessLibrary {
  name: string;
  /** Packages whose exports (model classes, clients, repositories) the calls are made on. */
  packages: readonly string[];
  methods: Readonly<Record<string, DataMethod>>;
}

const read = (filter: FilterShape): DataMethod => ({ operation: 'read', filter });
const update = (filter: FilterShape): DataMethod => ({ operation: 'update', filter });
const remove = (filter: FilterShape): DataMethod => ({ operation: 'delete', filter });

export const MONGOOSE: DataAccessLibrary = {
  name: 'mongoose',
  packages: ['mongoose', '@nestjs/mongoose', 'mongodb'],
  methods: {
    find: read('arg0'),
    findOne: read('arg0'),
    findById: read('id0'),
    exists: read('arg0'),
    countDocuments: read('arg0'),
    updateOne: update('arg0'),
    updateMany: update('arg0'),
    replaceOne: update('arg0'),
    findOneAndUpdate: update('arg0'),
    findOneAndReplace: update('arg0'),
    findByIdAndUpdate: update('id0'),
    update: update('arg0'),
    deleteOne: remove('arg0'),
    deleteMany: remove('arg0'),
    findOneAndDelete: remove('arg0'),
    findOneAndRemove: remove('arg0'),
    findByIdAndDelete: remove('id0'),
    findByIdAndRemove: remove('id0'),
    remove: remove('arg0'),
  },
};

export const PRISMA: DataAccessLibrary = {
  name: 'prisma',
  packages: ['@prisma/client'],
  methods: {
    findUnique: read('where0'),
    findUniqueOrThrow: read('where0'),
    findFirst: read('where0'),
    findFirstOrThrow: read('where0'),
    findMany: read('where0'),
    count: read('where0'),
    update: update('where0'),
    updateMany: update('where0'),
    upsert: update('where0'),
    delete: remove('where0'),
    deleteMany: remove('where0'),
  },
};

/** Drizzle's relational queries, `db.query.<table>.findFirst({ where: and(eq(…), …), with })`: read on the table the member names. */
export const DRIZZLE_RELATIONAL: DataAccessLibrary = {
  name: 'drizzle-orm',
  packages: ['drizzle-orm'],
  methods: {
    findFirst: read('where0'),
    findMany: read('where0'),
  },
};

export const TYPEORM: DataAccessLibrary = {
  name: 'typeorm',
  packages: ['typeorm', '@nestjs/typeorm'],
  methods: {
    findOne: read('options0'),
    findOneOrFail: read('options0'),
    find: read('where0'),
    findBy: read('arg0'),
    findOneBy: read('arg0'),
    findOneByOrFail: read('arg0'),
    findByIds: read('id0'),
    findAndCount: read('where0'),
    count: read('where0'),
    countBy: read('arg0'),
    exist: read('where0'),
    exists: read('where0'),
    existsBy: read('arg0'),
    update: update('options0'),
    delete: remove('options0'),
    softDelete: remove('options0'),
    restore: update('options0'),
    increment: update('arg0'),
    decrement: update('arg0'),
  },
};

export const SEQUELIZE: DataAccessLibrary = {
  name: 'sequelize',
  packages: ['sequelize', 'sequelize-typescript'],
  methods: {
    findByPk: read('id0'),
    findOne: read('where0'),
    findAll: read('where0'),
    findAndCountAll: read('where0'),
    count: read('where0'),
    update: update('where1'),
    destroy: remove('where0'),
  },
};

export const MIKRO_ORM: DataAccessLibrary = {
  name: 'mikro-orm',
  packages: ['@mikro-orm/core', '@mikro-orm/postgresql', '@mikro-orm/mysql', '@mikro-orm/sqlite', '@mikro-orm/mongodb', '@mikro-orm/nestjs'],
  methods: {
    findOne: read('entity1'),
    findOneOrFail: read('entity1'),
    find: read('entity1'),
    count: read('entity1'),
    nativeUpdate: update('entity1'),
    nativeDelete: remove('entity1'),
  },
};

/** Methods that load many records: a listing, when its filter names no one. */
export const BULK_READ_METHODS: ReadonlySet<string> = new Set(['find', 'findAll', 'findMany', 'findAndCount', 'findAndCountAll', 'findBy', 'aggregate', 'select', 'from']);

/** Model and repository libraries whose calls are read from the receiver's origin. */
export const DATA_ACCESS_LIBRARIES: readonly DataAccessLibrary[] = [MONGOOSE, PRISMA, TYPEORM, SEQUELIZE, MIKRO_ORM];

/**
 * Method names that only data-access libraries use: a call of one of them on a receiver that cannot be
 * resolved (`db.Order.findByPk`, a model from a dynamic `models/index.js`) is still read as a query.
 */
export const DISTINCT_DATA_METHODS: Readonly<Record<string, DataMethod>> = {
  findById: MONGOOSE.methods['findById'] as DataMethod,
  findByIdAndUpdate: MONGOOSE.methods['findByIdAndUpdate'] as DataMethod,
  findByIdAndDelete: MONGOOSE.methods['findByIdAndDelete'] as DataMethod,
  findByIdAndRemove: MONGOOSE.methods['findByIdAndRemove'] as DataMethod,
  findOneAndUpdate: MONGOOSE.methods['findOneAndUpdate'] as DataMethod,
  findOneAndDelete: MONGOOSE.methods['findOneAndDelete'] as DataMethod,
  findOneAndRemove: MONGOOSE.methods['findOneAndRemove'] as DataMethod,
  findByPk: SEQUELIZE.methods['findByPk'] as DataMethod,
  findUnique: PRISMA.methods['findUnique'] as DataMethod,
  findUniqueOrThrow: PRISMA.methods['findUniqueOrThrow'] as DataMethod,
  findFirst: PRISMA.methods['findFirst'] as DataMethod,
  findFirstOrThrow: PRISMA.methods['findFirstOrThrow'] as DataMethod,
  findOneBy: TYPEORM.methods['findOneBy'] as DataMethod,
  findOneByOrFail: TYPEORM.methods['findOneByOrFail'] as DataMethod,
};

/** Receivers that name a model or repository by convention when nothing resolves: `Order`, `this.orderRepository`, `ordersModel`. */
export const MODEL_RECEIVER_NAME = /^(?:[A-Z][A-Za-z0-9]*|[a-z][A-Za-z0-9]*(?:Repository|Repo|Model|Collection|Col))$/;

/**
 * Query builders in chains (`knex('orders').where({ id }).first()`, Drizzle `db.delete(orders).where(eq(...))`, Kysely
 * `db.selectFrom('favorites').where('favorites.userId', '=', userId)`).
 */
export const QUERY_BUILDER_PACKAGES: readonly string[] = ['knex', 'drizzle-orm', 'kysely'];

/** The chain calls that name a query builder's table (Knex `from('t')`, Kysely `selectFrom('t')`, `updateTable('t')`). */
export const QUERY_BUILDER_TABLE_METHODS: ReadonlySet<string> = new Set(['from', 'update', 'delete', 'table', 'selectFrom', 'updateTable', 'deleteFrom']);
/**
 * Drizzle's filter operators: `where(and(eq(notes.id, id), eq(notes.userId, user.id)))` selects by the
 * values given to them, so the filter's values are their arguments'.
 */
export const QUERY_FILTER_OPERATORS: ReadonlySet<string> = new Set(['eq', 'and', 'or', 'inArray', 'isNotNull']);

/**
 * Table definitions read as data, so that a query builder's table has known columns: Knex migrations
 * (`knex.schema.createTable('invoices', (t) => { t.integer('user_id') })`) and Drizzle schemas
 * (`export const invoices = pgTable('invoices', { userId: integer('user_id') })`).
 */
export const KNEX_TABLE_DEFINITIONS: ReadonlySet<string> = new Set(['createTable', 'createTableIfNotExists', 'alterTable']);
export const DRIZZLE_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'singlestoreTable']);

export const QUERY_BUILDER_FILTER_METHODS: ReadonlySet<string> = new Set(['where', 'andWhere', 'whereIn', 'orWhere', 'whereRaw', 'having']);
export const QUERY_BUILDER_OPERATIONS: Readonly<Record<string, DataOperation>> = {
  first: 'read',
  select: 'read',
  from: 'read',
  del: 'delete',
  delete: 'delete',
  update: 'update',
  set: 'update',
  returning: 'read',
  selectFrom: 'read',
  updateTable: 'update',
  deleteFrom: 'delete',
};

/**
 * A field of a record that names the account it belongs to (`userId`, `owner`, `author`, `tenant_id`,
 * `createdBy`): an entity with one belongs to someone, and a query keyed by the principal through it is
 * an ownership filter.
 */
export const OWNER_FIELD = /^(?:user|owner|author|creator|createdBy|created_by|account|tenant|customer|member|organization|organisation|org|seller|buyer|uploader|poster|patient|employee|profile)(?:Id|_id|ID|Ids|_ids)?$/i;

/** Entities that are accounts themselves: their id is the principal's id. */
export const ACCOUNT_ENTITY = /^(?:user|users|account|accounts|member|members|customer|customers|profile|profiles)(?:entity|model|schema|document|doc)?$/i;

/** Relations to an account entity (`@ManyToOne(() => User)`, `ref: 'User'`, Prisma `author User`). */
export const ACCOUNT_RELATION_TARGET = /^(?:User|Users|Account|Accounts|Member|Customer|Tenant|Organization|Organisation|Profile)(?:Entity|Model|Schema)?$/;
