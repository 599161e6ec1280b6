import fs from 'node:fs';
import path from 'node:path';
import type { Finding, Notification } from '../core/types.js';

/**
 * Reads the text of every file a finding, related location or positioned notification points into,
 * decoded as the engine decoded it (UTF-8, BOM dropped, invalid bytes replaced), so offsets line up.
 */
export function readSources(root: string, findings: readonly Finding[], notifications: readonly Notification[]): Map<string, string> {
  const files = new Set<string>();
  for (const f of findings) {
    files.add(f.file);
    for (const r of f.related ?? []) files.add(r.file);
  }
  for (const n of notifications) if (n.file !== undefined && n.start !== undefined) files.add(n.file);
  const sources = new Map<string, string>();
  addSources(sources, root, [...files]);
  return sources;
}

/** Reads more files into `sources` (those not read yet), decoded like the engine decodes them. */
export function addSources(sources: Map<string, string>, root: string, files: readonly string[]): void {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  for (const file of [...new Set(files)].sort()) {
    if (sources.has(file)) continue;
    try {
      sources.set(file, decoder.decode(fs.readFileSync(path.resolve(root, file))));
    } catch {
      // a file that vanished after the scan is shown without a code frame
    }
  }
}
