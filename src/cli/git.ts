import ignore from 'ignore';
import fs from 'node:fs';
import path from 'node:path';
import type { VersionControlInfo } from '../report/types.js';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The checkout folder and git directory that contain `start`, following `.git` files of worktrees and submodules. */
function findGitDir(start: string): { checkout: string; gitDir: string; commonDir: string } | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return { checkout: dir, gitDir: dotGit, commonDir: dotGit };
    if (stat?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '')?.[1]?.trim();
      if (!pointer) return undefined;
      const gitDir = path.resolve(dir, pointer);
      const common = readText(path.join(gitDir, 'commondir'))?.trim();
      return { checkout: dir, gitDir, commonDir: common ? path.resolve(gitDir, common) : gitDir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveRef(ref: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const loose = readText(path.join(dir, ...ref.split('/')))?.trim();
    if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  }
  for (const dir of dirs) {
    for (const line of (readText(path.join(dir, 'packed-refs')) ?? '').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && sha && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
    }
  }
  return undefined;
}

/** The URL of `origin` (or the first remote) from a git config file, or undefined. */
export function getRemoteUrl(configText: string): string | undefined {
  let section: string | undefined;
  const urls = new Map<string, string>();
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*remote\s+"([^"]+)"\s*\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (line.startsWith('[')) {
      section = undefined;
      continue;
    }
    const url = /^url\s*=\s*(.+)$/.exec(line)?.[1]?.trim();
    if (section !== undefined && url && !urls.has(section)) urls.set(section, url);
  }
  return urls.get('origin') ?? urls.values().next().value;
}

/** A remote URL as a SARIF repositoryUri: credentials removed, scp-like `git@host:path` turned into `ssh://host/path`. */
export function sanitizeRemoteUrl(url: string): string | undefined {
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `ssh://${scp[1]}/${scp[2]}`;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return undefined;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}

/**
 * Whether the checkout ignores the folder `rel` (a path relative to the checkout, `/` separators): by a
 * `.gitignore` in the checkout root or in a folder on the way to it, or by `.git/info/exclude`. Git never
 * descends into an ignored folder, so the folder counts as ignored when any folder on the way is.
 */
export function isIgnoredByCheckout(checkout: string, commonDir: string, rel: string): boolean {
  const segments = rel.split('/').filter(Boolean);
  const exclude = readText(path.join(commonDir, 'info', 'exclude'));
  for (let depth = 0; depth < segments.length; depth++) {
    const base = segments.slice(0, depth);
    const rules = [readText(path.join(checkout, ...base, '.gitignore')), depth === 0 ? exclude : undefined].filter((t) => t !== undefined);
    if (rules.length === 0) continue;
    const matcher = ignore().add(rules.join('\n'));
    for (let end = depth + 1; end <= segments.length; end++) {
      if (matcher.ignores(`${segments.slice(depth, end).join('/')}/`)) return true;
    }
  }
  return false;
}

/**
 * Version-control facts for SARIF, read from the files of `.git` (never by running git in the
 * scanned repository). Undefined when the root is not inside a checkout, or lies in a folder the checkout
 * ignores (a copy of another project under a scratch folder): its files are not that repository's, so
 * SARIF paths must stay relative to the scan root.
 */
export function readVersionControl(root: string): VersionControlInfo | undefined {
  const found = findGitDir(root);
  if (!found) return undefined;
  const rootInCheckout = path.relative(found.checkout, path.resolve(root)).split(path.sep).join('/');
  if (rootInCheckout !== '' && isIgnoredByCheckout(found.checkout, found.commonDir, rootInCheckout)) return undefined;
  const remote = getRemoteUrl(readText(path.join(found.commonDir, 'config')) ?? '');
  const repositoryUri = remote ? sanitizeRemoteUrl(remote) : undefined;
  const head = readText(path.join(found.gitDir, 'HEAD'))?.trim() ?? '';
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  const dirs = found.gitDir === found.commonDir ? [found.gitDir] : [found.gitDir, found.commonDir];
  const revisionId = ref ? resolveRef(ref, dirs) : /^[0-9a-f]{40,64}$/.test(head) ? head : undefined;
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const rootInRepository = rootInCheckout;
  return {
    ...(repositoryUri ? { repositoryUri } : {}),
    ...(revisionId ? { revisionId } : {}),
    ...(branch ? { branch } : {}),
    rootInRepository,
  };
}
