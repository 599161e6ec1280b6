import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

/** Every folder the fixture runner and the sample test scan: each rule's scenarios and the sample service. */
export function scannedFixtures(): string[] {
  const dirs = [path.join(FIXTURES, 'sample-service')];
  for (const group of fs.readdirSync(FIXTURES).sort()) {
    if (group === 'sample-service') continue;
    for (const name of fs.readdirSync(path.join(FIXTURES, group)).sort()) {
      const dir = path.join(FIXTURES, group, name);
      if (fs.statSync(dir).isDirectory()) dirs.push(dir);
    }
  }
  return dirs;
}

/**
 * An Express notes service whose delete route is guarded by a middleware in another file that verifies a token
 * (`src/gate.ts`): the cache tests edit the guard (`OPEN_GATE`) and expect the route in `src/notes.ts` re-judged.
 */
export const GUARDED_NOTES_SERVICE: Readonly<Record<string, string>> = {
  'package.json': '{ "name": "notes", "dependencies": { "express": "4.19.2", "jsonwebtoken": "9.0.2" } }\n',
  'src/gate.ts': [
    "import type { NextFunction, Request, Response } from 'express';",
    "import jwt from 'jsonwebtoken';",
    '',
    'export function gate(req: Request, res: Response, next: NextFunction) {',
    '  try {',
    "    res.locals.claims = jwt.verify(String(req.headers.authorization).slice(7), process.env.KEY as string, { algorithms: ['RS256'], issuer: 'https://id.example.com', audience: 'notes' });",
    '    return next();',
    '  } catch {',
    '    return res.status(401).end();',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/notes.ts': [
    "import { Router } from 'express';",
    "import { gate } from './gate';",
    "import { db } from './db';",
    '',
    'export const notes = Router();',
    '',
    "notes.delete('/notes/:id', gate, async (req, res) => {",
    '  await db.note.delete({ where: { id: req.params.id } });',
    '  res.status(204).end();',
    '});',
    '',
  ].join('\n'),
  'src/db.ts': "import { PrismaClient } from '@prisma/client';\nexport const db = new PrismaClient();\n",
  'src/app.ts': "import express from 'express';\nimport { notes } from './notes';\nconst app = express();\napp.use(notes);\napp.listen(3000);\n",
};

/** `src/gate.ts` of `GUARDED_NOTES_SERVICE` edited to let every request through. */
export const OPEN_GATE = "import type { NextFunction, Request, Response } from 'express';\n\nexport function gate(req: Request, res: Response, next: NextFunction) {\n  return next();\n}\n";
