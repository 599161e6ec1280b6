#!/usr/bin/env node
// Regenerates the `rules` part of schema/authlint.config.schema.json from the rule definitions (run after
// npm run build). `node scripts/gen-config-schema.mjs --check` exits 1 when the committed schema is stale;
// test/core/config-schema.test.ts checks the same from the sources.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { withGeneratedRules, formatSchema } = await import(path.join(root, 'dist/src/core/config-schema.js'));
const { ALL_RULES } = await import(path.join(root, 'dist/rules/index.js'));
const target = path.join(root, 'schema', 'authlint.config.schema.json');
const current = fs.readFileSync(target, 'utf8');
const text = formatSchema(withGeneratedRules(JSON.parse(current), ALL_RULES));
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('schema/authlint.config.schema.json is stale: run npm run build && node scripts/gen-config-schema.mjs');
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, text);
}
