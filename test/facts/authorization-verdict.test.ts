import { describe, expect, it } from 'vitest';
import rule from '../../rules/route-require-authorization.js';
import { getRouteInventory } from '../../src/facts/routes/inventory.js';
import { formatRouteJson, formatRouteTable } from '../../src/report/routes.js';
import { buildCaseProject, runCase, type RuleCase } from '../support/rule-cases.js';

const PRISMA_SCHEMA = `model User {
  id      Int    @id
  notes   Note[]
}

model Note {
  id        Int    @id
  body      String
  author    User   @relation(fields: [authorId], references: [id])
  authorId  Int
  starredBy User[]
}
`;

const files = { 'prisma/schema.prisma': PRISMA_SCHEMA, 'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();\n` };

const route = (path: string, data: string) => `import express from 'express';
import passport from 'passport';
import { prisma } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('${path}', async (req, res) => res.json(await prisma.note.update({ where: { id: Number(req.params.id) }, data: ${data} })));
`;

interface VerdictCase extends RuleCase {
  verdict: string;
  /** Kinds of the non-chain evidence the inventory shows. */
  evidence: string[];
  /** The messageIds route-require-authorization reports for the route. */
  reported: string[];
}

/** The inventory's verdict and the rule's finding for the same route must tell the same story. */
const KYSELY_REPO = `import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
interface DB { sessions: { id: string; userId: string; workspaceId: string; revokedAt: Date | null } }
export class SessionRepo {
  constructor(private readonly db: Kysely<DB>) {}
  list(userId: string, workspaceId: string) {
    return this.db.selectFrom('sessions').selectAll().where('userId', '=', userId).where('workspaceId', '=', workspaceId).execute();
  }
  async revoke(id: string, userId: string) {
    await this.db.updateTable('sessions').set({ revokedAt: new Date() }).where('id', '=', id).where('userId', '=', userId).execute();
  }
  async revokeAny(id: string) {
    await this.db.updateTable('sessions').set({ revokedAt: new Date() }).where('id', '=', id).execute();
  }
}
export const sessions = new SessionRepo(new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool() }) }));
`;

const sessionRoute = (line: string) => `import express from 'express';
import passport from 'passport';
import { sessions } from './sessions';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
${line}
`;

const cases: VerdictCase[] = [
  {
    name: 'connecting the caller to the named note (starring) is caller-only',
    files,
    code: route('/notes/:id/star', '{ starredBy: { connect: { id: req.user.id } } }'),
    verdict: 'caller-only',
    evidence: ['caller-link'],
    reported: [],
  },
  {
    name: 'disconnecting the caller from the named note (unstarring) is caller-only',
    files,
    code: route('/notes/:id/unstar', '{ starredBy: { disconnect: { id: req.user.id } } }'),
    verdict: 'caller-only',
    evidence: ['caller-link'],
    reported: [],
  },
  {
    name: 'near miss: connecting someone the client names stays none, and reported',
    files,
    code: route('/notes/:id/star', '{ starredBy: { connect: { id: Number(req.body.friendId) } } }'),
    verdict: 'none',
    evidence: [],
    reported: ['unboundResource'],
  },
  {
    name: 'near miss: connecting the caller while also changing the note stays none, and reported',
    files,
    code: route('/notes/:id/star', '{ body: req.body.body, starredBy: { connect: { id: req.user.id } } }'),
    verdict: 'none',
    evidence: [],
    reported: ['unboundResource'],
  },
  {
    name: 'near miss: an administrative route that connects the caller still needs a role check',
    files,
    code: route('/admin/notes/:id/members', '{ starredBy: { connect: { id: req.user.id } } }'),
    verdict: 'caller-only',
    evidence: ['caller-link'],
    reported: ['adminWithoutRole'],
  },
  {
    name: "near miss: a helper testing how many tokens the caller holds and returning early when there are none makes no role check",
    files: {
      ...files,
      'src/revoke.ts': `const providerRevocation = { google: { url: 'https://oauth2.googleapis.com/revoke' } };
export async function revokeAll(tokens) {
  if (!tokens || tokens.length === 0) return;
  await Promise.allSettled(tokens.filter((t) => providerRevocation[t.kind]).map((t) => fetch(providerRevocation[t.kind].url)));
}
`,
    },
    code: `import express from 'express';
import passport from 'passport';
import { prisma } from './db';
import { revokeAll } from './revoke';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/notes/:id/archive', async (req, res) => {
  await revokeAll(req.user.tokens);
  res.json(await prisma.note.update({ where: { id: Number(req.params.id) }, data: { body: '' } }));
});
`,
    verdict: 'none',
    evidence: [],
    reported: ['unboundResource'],
  },
  {
    name: 'counting the roles the caller holds and refusing a caller with none is a role check',
    files,
    code: `import express from 'express';
import passport from 'passport';
import { prisma } from './db';
const app = express();
app.use(passport.authenticate('jwt', { session: false }));
app.post('/notes/:id/archive', async (req, res) => {
  if (req.user.roles.length === 0) return res.status(403).end();
  res.json(await prisma.note.update({ where: { id: Number(req.params.id) }, data: { body: '' } }));
});
`,
    verdict: 'authorized',
    evidence: ['role-check'],
    reported: [],
  },
  {
    name: "Kysely: a repository's list filtered by the caller's id is caller-only (docmost's sessions, favorites and notifications)",
    files: { 'src/sessions.ts': KYSELY_REPO },
    code: sessionRoute("app.get('/sessions', async (req, res) => res.json(await sessions.list(req.user.id, req.user.workspaceId)));"),
    verdict: 'caller-only',
    evidence: ['ownership-filter'],
    reported: [],
  },
  {
    name: 'Kysely: where calls chained on one query filter it together: the named session of the caller is owner-scoped',
    files: { 'src/sessions.ts': KYSELY_REPO },
    code: sessionRoute("app.post('/sessions/:id/revoke', async (req, res) => res.json(await sessions.revoke(req.params.id, req.user.id)));"),
    verdict: 'owner-scoped',
    evidence: ['ownership-filter'],
    reported: [],
  },
  {
    name: 'near miss: a Kysely update of the session the client names, whoever owns it, stays none',
    files: { 'src/sessions.ts': KYSELY_REPO },
    code: sessionRoute("app.post('/sessions/:id/revoke', async (req, res) => res.json(await sessions.revokeAny(req.params.id)));"),
    verdict: 'none',
    evidence: [],
    reported: [],
  },
];

describe('authorization verdict in the route inventory agrees with route-require-authorization', () => {
  it.each(cases)('$name', (c) => {
    const { project } = buildCaseProject(c);
    const inventory = getRouteInventory(project);
    expect(inventory.routes).toHaveLength(1);
    const row = inventory.routes[0]!;
    expect(row.authorizationStatus).toBe(c.verdict);
    const evidence = (row.authorizationEvidence ?? []).filter((e) => e.kind !== 'chain-step');
    expect(evidence.map((e) => e.kind)).toEqual(c.evidence);
    expect(runCase(rule, c).errors.map((e) => e.messageId)).toEqual(c.reported);
  });

  it('shows the caller link with its reason in JSON and with its location in text', () => {
    const { project } = buildCaseProject(cases[0]!);
    const inventory = getRouteInventory(project);
    const json = JSON.parse(formatRouteJson(inventory)) as { routes: Array<{ authorizationStatus: string; authorizationEvidence: Array<{ kind: string; reason: string; file: string; line: number }> }> };
    const evidence = json.routes[0]!.authorizationEvidence.filter((e) => e.kind !== 'chain-step');
    expect(evidence).toEqual([{ kind: 'caller-link', reason: expect.stringContaining("connects the caller in 'starredBy'"), file: 'src/index.ts', line: 6 }]);
    expect(formatRouteTable(inventory)).toContain('caller-only: caller-link src/index.ts:6');
  });
});
