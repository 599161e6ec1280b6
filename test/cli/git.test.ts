import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRemoteUrl, readVersionControl, sanitizeRemoteUrl } from '../../src/cli/git.js';
import { makeTree } from './support.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('version control facts', () => {
  it('reads the branch, its commit and origin from .git, with the scan root relative to the checkout', () => {
    const root = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${SHA}\n`,
      '.git/config': '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/other/fork.git\n[remote "origin"]\n\turl = https://ci-bot:s3cret@github.com/acme/shop.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
      'services/orders/src/app.ts': '',
    });
    expect(readVersionControl(path.join(root, 'services/orders'))).toEqual({
      repositoryUri: 'https://github.com/acme/shop.git',
      revisionId: SHA,
      branch: 'main',
      rootInRepository: 'services/orders',
    });
  });

  it('finds packed refs and detached heads', () => {
    const packed = makeTree({
      '.git/HEAD': 'ref: refs/heads/release/1.2\n',
      '.git/packed-refs': `# pack-refs with: peeled fully-peeled sorted\n${SHA} refs/heads/release/1.2\n`,
      '.git/config': '[remote "origin"]\n\turl = git@github.com:acme/shop.git\n',
    });
    expect(readVersionControl(packed)).toEqual({ repositoryUri: 'ssh://github.com/acme/shop.git', revisionId: SHA, branch: 'release/1.2', rootInRepository: '' });
    const detached = makeTree({ '.git/HEAD': `${SHA}\n`, '.git/config': '[remote "origin"]\n\turl = https://github.com/acme/shop\n' });
    expect(readVersionControl(detached)).toEqual({ repositoryUri: 'https://github.com/acme/shop', revisionId: SHA, rootInRepository: '' });
  });

  it('follows the .git file of a worktree to its common directory', () => {
    const main = makeTree({
      '.git/config': '[remote "origin"]\n\turl = https://github.com/acme/shop.git\n',
      '.git/refs/heads/feature': `${SHA}\n`,
      '.git/worktrees/feature/HEAD': 'ref: refs/heads/feature\n',
      '.git/worktrees/feature/commondir': '../..\n',
    });
    const worktree = makeTree({ '.git': `gitdir: ${path.join(main, '.git/worktrees/feature')}\n` });
    expect(readVersionControl(worktree)).toMatchObject({ revisionId: SHA, branch: 'feature', repositoryUri: 'https://github.com/acme/shop.git' });
  });

  it('gives nothing outside a checkout, and no repository URI without a remote', () => {
    const plain = makeTree({ 'src/a.ts': '' });
    const noRemote = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/config': '[core]\n', 'api/src/a.ts': '' });
    expect(readVersionControl(plain)).toBeUndefined();
    expect(readVersionControl(path.join(noRemote, 'api'))).toEqual({ branch: 'main', rootInRepository: 'api' });
    expect(getRemoteUrl('[remote "origin"]\n')).toBeUndefined();
  });

  it('gives nothing for a folder the checkout ignores: a copied project under a scratch folder is not that repository', () => {
    const root = makeTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': `${SHA}\n`,
      '.git/config': '[remote "origin"]\n\turl = https://github.com/acme/shop.git\n',
      '.git/info/exclude': '/local-only\n',
      '.gitignore': 'node_modules/\n/tmp\n',
      'tools/.gitignore': 'scratch/\n',
      'tmp/copy/src/app.ts': '',
      'tools/scratch/svc/src/app.ts': '',
      'local-only/svc/src/app.ts': '',
      'services/orders/src/app.ts': '',
    });
    expect(readVersionControl(path.join(root, 'tmp/copy'))).toBeUndefined();
    expect(readVersionControl(path.join(root, 'tools/scratch/svc'))).toBeUndefined();
    expect(readVersionControl(path.join(root, 'local-only/svc'))).toBeUndefined();
    expect(readVersionControl(path.join(root, 'services/orders'))).toMatchObject({ rootInRepository: 'services/orders' });
    expect(readVersionControl(path.join(root, 'tools'))).toMatchObject({ rootInRepository: 'tools' });
  });

  it('never puts credentials or local paths into the repository URI', () => {
    expect(sanitizeRemoteUrl('https://user:token@gitlab.example.com/group/app.git')).toBe('https://gitlab.example.com/group/app.git');
    expect(sanitizeRemoteUrl('ssh://git@github.com/acme/shop.git')).toBe('ssh://github.com/acme/shop.git');
    expect(sanitizeRemoteUrl('file:///srv/git/shop.git')).toBeUndefined();
    expect(sanitizeRemoteUrl('/srv/git/shop.git')).toBeUndefined();
  });
});
