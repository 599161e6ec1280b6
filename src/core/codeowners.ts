import ignore, { type Ignore } from 'ignore';

/** Where GitHub and GitLab look for the file, in their order of precedence. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] as const;

export interface CodeownersRule {
  pattern: string;
  owners: string[];
  /** GitLab section the rule belongs to (`[Backend]`), '' outside sections. */
  section: string;
  line: number;
  matcher: Ignore;
}

const OWNER = /^(?:@[\w.-]+(?:\/[\w.-]+)*|[^@\s]+@[^@\s]+\.[^@\s]+)$/;

function splitLine(line: string): string[] {
  // `\#` and `\ ` escape inside patterns; anything after an unescaped `#` is a comment.
  const tokens: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\' && i + 1 < line.length) {
      current += line[i + 1];
      i++;
    } else if (ch === '#') break;
    else if (/\s/.test(ch)) {
      if (current) tokens.push(current);
      current = '';
    } else current += ch;
  }
  if (current) tokens.push(current);
  return tokens;
}

/**
 * Parses a CODEOWNERS file (GitHub syntax, plus GitLab sections `[Name] @default-owner`, optional
 * `^[Name]` sections and `[Name][2]` approval counts). Lines that are not rules are skipped.
 */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  let section = '';
  let sectionOwners: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\^?\[([^\]]+)\](?:\[\d+\])?(.*)$/.exec(line);
    if (header) {
      section = (header[1] as string).trim();
      sectionOwners = splitLine(header[2] ?? '').filter((t) => OWNER.test(t));
      return;
    }
    const [pattern, ...rest] = splitLine(line);
    if (!pattern) return;
    const owners = rest.filter((t) => OWNER.test(t));
    const effective = owners.length > 0 || rest.length > 0 ? owners : sectionOwners;
    rules.push({ pattern, owners: effective, section, line: index + 1, matcher: ignore().add(pattern) });
  });
  return rules;
}

/**
 * Owners of a path relative to the repository root: the last matching rule wins (per section in
 * GitLab, where every section's match applies). Undefined when no rule matches; an empty list when
 * the matching rule names nobody (an explicit "no owner").
 */
export function getCodeowners(rules: readonly CodeownersRule[], repoPath: string): string[] | undefined {
  const bySection = new Map<string, string[]>();
  for (const rule of rules) {
    if (rule.matcher.ignores(repoPath)) bySection.set(rule.section, rule.owners);
  }
  if (bySection.size === 0) return undefined;
  return [...new Set([...bySection.values()].flat())].sort();
}
