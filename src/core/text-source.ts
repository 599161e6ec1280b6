import fs from 'node:fs';

/** Where file text comes from: the disk in the CLI, the editor buffer for the linted file in ESLint. */
export interface TextSource {
  read(absPath: string): string | undefined;
  exists(absPath: string): boolean;
}

export const DISK_TEXT_SOURCE: TextSource = {
  read(absPath) {
    try {
      return fs.readFileSync(absPath, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(absPath) {
    try {
      // Import resolution asks mostly for candidates that do not exist: no exception for those.
      return fs.statSync(absPath, { throwIfNoEntry: false })?.isFile() === true;
    } catch {
      return false;
    }
  },
};
