import type { FileFact } from '../core/project.js';
import { EXPORTS, IMPORTS } from './imports.js';
import { FILE_JWT_LIBRARIES, MENTIONS_JWT_PACKAGE } from './jwt.js';
import { MODULE_SPECIFIERS } from './reach.js';
import { JWT_CALL_SITES } from './jwt-call-sites.js';
import { NEST_FILE_SUMMARY } from './routes/nestjs-summary.js';
import { IMPORTED_CALLEES, REGISTRATION_SITES } from './routes/registration-sites.js';

/**
 * The portable file facts (`FileFact.portable`): plain data computed from one file's own text and tree, which the CLI's
 * extraction threads compute while they parse each file and hand to the scan with the file, so that the scan thread
 * needs no tree for them. A fact listed here must be declared `portable`; a test checks that each value survives a
 * copy between threads unchanged and that a scan gives the same output whoever computed them.
 */
export const PORTABLE_FACTS: ReadonlyArray<FileFact<unknown>> = [FILE_JWT_LIBRARIES, IMPORTS, EXPORTS, NEST_FILE_SUMMARY, JWT_CALL_SITES, REGISTRATION_SITES, IMPORTED_CALLEES];

/**
 * Local file facts computed from the text alone whose value is a primitive or a list of strings, which the scan cache
 * keeps in each file's stored summary (`StoredSummary.textFacts`): a rescan then answers them for the files it left
 * unread without reading their text. Import reachability asks both of every file a changed file's imports reach (on
 * ever-gauzy, about 8,000 files after an edit of a service), and only the text answers them.
 */
export const STORED_TEXT_FACTS: ReadonlyArray<FileFact<unknown>> = [MENTIONS_JWT_PACKAGE, MODULE_SPECIFIERS];

/**
 * Files whose tree the scan thread reads whatever the extraction threads hand over (`ScanTreeTest`): a NestJS
 * controller (the route facts walk its handlers) or module (the application model reads its `@Module` options). On
 * ever-gauzy all 446 files with such a decorator were parsed again on the scan thread at `--jobs 2`; the extraction
 * leaves them to it. A file this misses is parsed twice, one it takes wrongly is parsed on the scan thread: no result
 * depends on it.
 */
export function isTreeReadByScan(text: string): boolean {
  return (text.includes('@Controller') || text.includes('@Module')) && /@(?:Controller|Module)\s*\(/.test(text);
}
