import { describe, expect, it } from 'vitest';
import { AnalysisProject, type TextSource } from '../../src/core/project.js';
import { getQueryBuilderTables } from '../../src/facts/authz/entities.js';

function memoryProject(files: Record<string, string>): AnalysisProject {
  const source: TextSource = { read: (p) => files[p], exists: (p) => p in files };
  const project = new AnalysisProject('/repo', {}, source);
  for (const [p, text] of Object.entries(files)) project.addFile(p, text);
  return project;
}

describe('query-builder tables: which files are read', () => {
  const files = {
    '/repo/migrations/001_invoices.js': "exports.up = (knex) => knex.schema.createTable('invoices', (t) => {\n  t.increments('id');\n  t.integer('user_id');\n});\n",
    '/repo/src/schema.ts': "import { integer, pgTable, serial } from 'drizzle-orm/pg-core';\nexport const posts = pgTable('posts', { id: serial('id'), authorId: integer('author_id') });\n",
    // TypeORM: a join table, a smart table component, and a migration building a `Table` object: no Knex or Drizzle call.
    '/repo/src/user.entity.ts': "import { Entity, JoinTable, ManyToMany } from 'typeorm';\n@Entity()\nexport class User {\n  @ManyToMany(() => Role)\n  @JoinTable()\n  roles: Role[];\n}\n",
    '/repo/src/list.component.ts': "export class ListComponent {\n  ngOnInit() { this.loadSmartTable('users', {}); }\n}\n",
    '/repo/src/migrations/002.ts': "import { Table } from 'typeorm';\nexport const up = (runner) => runner.query(String(new Table({ name: 'x' })), []);\n",
  };

  it('finds the Knex and Drizzle tables and parses no file that names neither kind of call', () => {
    const project = memoryProject(files);
    const tables = getQueryBuilderTables(project);
    expect([...tables.keys()].sort()).toEqual(['invoices', 'posts']);
    expect(tables.get('invoices')?.fields).toContain('user_id');
    const parsed = project.files().filter((f) => f.isParsed).map((f) => f.relPath);
    expect(parsed.sort()).toEqual(['migrations/001_invoices.js', 'src/schema.ts']);
  });
});
