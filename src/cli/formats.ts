export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'gitlab', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputTarget {
  format: Format;
  /** A file path (relative to the working directory); undefined for standard output. */
  file?: string;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `--format NAME` or `--format NAME:FILE`. */
export function parseFormatSpec(spec: string): OutputTarget {
  const colon = spec.indexOf(':');
  const name = (colon === -1 ? spec : spec.slice(0, colon)).trim().toLowerCase();
  const file = colon === -1 ? undefined : spec.slice(colon + 1);
  if (!(FORMATS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown format '${name}' (expected ${FORMATS.join(', ')}, optionally as NAME:FILE)`);
  }
  if (file !== undefined && file.trim() === '') throw new UsageError(`--format ${name}: needs a file name after ':'`);
  return { format: name as Format, ...(file !== undefined ? { file } : {}) };
}

/**
 * Pairs formats with destinations: `NAME:FILE` writes FILE; `--output FILE` is the destination of the
 * first format given without one; the rest go to standard output, which at most one format may use.
 */
export function resolveOutputs(formatSpecs: readonly string[], output: string | undefined): OutputTarget[] {
  const targets = (formatSpecs.length > 0 ? formatSpecs : ['text']).map(parseFormatSpec);
  if (output !== undefined) {
    const first = targets.find((t) => t.file === undefined);
    if (!first) throw new UsageError('--output has no format to write: every --format already names its file');
    first.file = output;
  }
  const toStdout = targets.filter((t) => t.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `only one format can go to standard output (got ${toStdout.map((t) => t.format).join(' and ')}); write the others to files with --format NAME:FILE or --output FILE`,
    );
  }
  const files = targets.flatMap((t) => (t.file !== undefined ? [t.file] : []));
  const duplicate = files.find((f, i) => files.indexOf(f) !== i);
  if (duplicate !== undefined) throw new UsageError(`two formats would both be written to ${duplicate}`);
  return targets;
}
