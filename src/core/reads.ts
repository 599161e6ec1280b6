/**
 * What an answer read, recorded while it is computed, so that a later project (the editor's next snapshot) can tell
 * whether the answer still holds after some files changed. Recording is on only inside `recordReads` (the editor's
 * snapshots); the CLI records nothing and pays one check per read.
 *
 * A frame collects:
 * - files whose content the answer read (text, tree, index): any change to one of them voids the answer;
 * - portable file facts it read of some files: a change voids the answer only when that fact's value changes (most
 *   edits inside a function body leave a file's import, export and registration summaries as they were);
 * - word queries (`filesMentioning`, `mentions`): voided when a changed file starts or stops mentioning the words;
 * - the import graph: voided when a changed file imports other specifiers;
 * - other frames: the answers it took from memos, each with what that answer read.
 * A memo entry keeps the frame that was open when it was stored (the answer's own frame, or the frame of whatever
 * was being computed then: more than the answer read, never less), and whoever reads the entry takes that frame in.
 */

/**
 * A file as a frame records it: its path. A frame is checked against the project it was valid in and the next one, so
 * a path names the file's version in the former; paths keep no old tree alive.
 */
export type ReadFile = string;

/** A file fact as a frame records it (see project.ts FileFact). */
export interface ReadFact {
  readonly name: string;
  readonly portable?: boolean;
}

/**
 * A dependency a computation states itself, for a question over many files whose answer a changed file can only
 * change in a known way (whether a file reaches a package through its imports: only if its imports or its own test
 * result changed). `unchanged` compares a file's version in the project the answer was valid in with its version in
 * the next one (SourceFileInfo objects, then the two AnalysisProjects; typed loosely here so the core of the recording
 * needs no project).
 */
export interface ReadCheck {
  readonly name: string;
  unchanged(before: never, after: never, from: never, to: never): boolean;
  /**
   * The answer for one file version as plain data (a SourceFileInfo, then the AnalysisProject), equal for two versions
   * exactly when `unchanged` holds: the scan cache keeps it to compare a file's old version with its new one in a later
   * scan (run-cache.ts). A check without it voids every stored answer that read it when any file changes.
   */
  signature?(file: never, project: never): unknown;
  /**
   * Whether the project (the second argument) asked this question of the file (the first): a file it was not asked
   * of decided nothing, so a later scan need not compare it. Without it, every file counts as asked.
   */
  asked?(file: never, project: never): boolean;
}

/** The checks with a signature, by name: a later scan finds a stored check's by its name (run-cache.ts). */
const checksByName = new Map<string, ReadCheck | null>();

/** Makes a check known by its name to later scans; two different checks of one name make it unknown (never reused). */
export function registerReadCheck(check: ReadCheck): void {
  const known = checksByName.get(check.name);
  checksByName.set(check.name, known === undefined || known === check ? check : null);
}

/** Makers of checks whose name says what they test (`includes:<needle>`), for names no check was made for yet. */
const checkMakers = new Map<string, (rest: string) => ReadCheck>();

/** Registers how to make the check named `<prefix><rest>` from its name, when a later scan asks for it first. */
export function registerReadCheckMaker(prefix: string, make: (rest: string) => ReadCheck): void {
  checkMakers.set(prefix, make);
}

/** The check registered under `name`, if exactly one is (made from its name when its maker is known). */
export function getReadCheck(name: string): ReadCheck | undefined {
  const known = checksByName.get(name);
  if (known !== undefined) return known ?? undefined;
  for (const [prefix, make] of checkMakers) if (name.startsWith(prefix)) return make(name.slice(prefix.length));
  return undefined;
}

export class ReadFrame {
  readonly files = new Set<ReadFile>();
  readonly checks = new Set<ReadCheck>();
  readonly facts = new Map<ReadFact, Set<ReadFile>>();
  readonly words = new Set<string>();
  importGraph = false;
  /**
   * Set when the answer read a file loaded on demand (not scanned): nothing tells a later project whether it changed,
   * so the answer is never reused. The scanned files of projects that inherit from each other are the same.
   */
  onDemand = false;
  /** Set when the answer read something no frame records (a memo filled while nothing was recorded): never reused. */
  opaque = false;
  /**
   * Set on the frame of one memo entry's own computation (recordOwn), as opposed to the frame of whatever was being
   * computed when an entry was stored: only such an entry is taken over by the next snapshot (RecordingWeakMap), as
   * the wider frame would make every answer that takes the entry in depend on all that the first reader had read.
   */
  own = false;
  readonly frames = new Set<ReadFrame>();
  /** The project fact whose frame this is, if any (early cutoff asks which answers read a fact). */
  factName: string | undefined;
  /**
   * Set on a stand-in for a frame of an earlier scan that the scan cache reused (run-cache.ts): its reads are in that
   * store, not in this object, and only the next store reads them.
   */
  stored: unknown;
  /**
   * The number of the last inheritance (AnalysisProject.inheritAnswers) that took over a plain answer with this frame,
   * and another answer: the next snapshot's inheritance, when the same files are edited again, takes those over again.
   */
  keptPlain = 0;
  keptStrict = 0;
  /** Answers of `reaches` and `readsOfFile` for this frame, by question. */
  reach: Map<unknown, unknown> | undefined;
  /** The last file recorded: most reads repeat the file just read. */
  private last: ReadFile | undefined;

  file(file: ReadFile, onDemand: boolean): void {
    if (file === this.last) return;
    this.last = file;
    this.files.add(file);
    if (onDemand) this.onDemand = true;
  }

  fact(fact: ReadFact, file: ReadFile, onDemand: boolean): void {
    if (onDemand) this.onDemand = true;
    let files = this.facts.get(fact);
    if (!files) this.facts.set(fact, (files = new Set()));
    files.add(file);
  }

  frame(frame: ReadFrame): void {
    if (frame !== this) this.frames.add(frame);
  }
}

/** A frame that voids every answer that takes it in: what was read while nothing was recorded. */
const OPAQUE = new ReadFrame();
OPAQUE.opaque = true;

let current: ReadFrame | undefined;

/** Whether reads are being recorded now. */
export function isRecording(): boolean {
  return current !== undefined;
}

/** The frame open now, if any. */
export function currentFrame(): ReadFrame | undefined {
  return current;
}

/** Runs `compute` with `frame` open; what it reads goes to `frame` only (the caller takes the frame in if it should). */
export function recordReads<T>(frame: ReadFrame, compute: () => T): T {
  const outer = current;
  current = frame;
  try {
    return compute();
  } finally {
    current = outer;
  }
}

/**
 * Computes a memo entry in a frame of its own, when reads are recorded: `compute` computes the answer and stores it,
 * so the entry keeps what the answer read rather than everything its first reader had read so far (a route's whole
 * analysis), and a later reader of the entry depends on that alone. The frame open around it takes the new frame in.
 */
export function recordOwn<T>(compute: () => T): T {
  const outer = current;
  if (outer === undefined) return compute();
  const frame = new ReadFrame();
  frame.own = true;
  current = frame;
  try {
    return compute();
  } finally {
    current = outer;
    outer.frame(frame);
  }
}

/** The frame of an entry whose value read nothing: an inner table whose entries keep their own reads. */
const NOTHING = new ReadFrame();

/**
 * The inner table of `outer` at `key` (answers by depth or by arguments), created empty when missing. The outer entry
 * hands its readers no reads: each inner entry keeps its own. Stored in whatever frame is open, the outer entry would
 * hand every later reader what the first one had read.
 */
export function innerTable<K extends object, K2, V>(outer: WeakMap<K, Map<K2, V>>, key: K): Map<K2, V> {
  let table = outer.get(key);
  if (table) return table;
  table = new RecordingMap<K2, V>();
  const saved = current;
  current = saved && NOTHING;
  try {
    outer.set(key, table);
  } finally {
    current = saved;
  }
  return table;
}

/** Runs `compute` with recording suspended (what it reads is recorded by the caller in another form). */
export function withoutRecording<T>(compute: () => T): T {
  const outer = current;
  if (outer === undefined) return compute();
  current = undefined;
  try {
    return compute();
  } finally {
    current = outer;
  }
}

export function recordFile(file: ReadFile, onDemand: boolean): void {
  current?.file(file, onDemand);
}

export function recordFact(fact: ReadFact, file: ReadFile, onDemand: boolean): void {
  current?.fact(fact, file, onDemand);
}

export function recordWords(key: string): void {
  if (!current || current.words.has(key)) return;
  current.words.add(key);
  for (const word of key.split('\u0000')) queriedWords.add(word);
}

export function recordCheck(check: ReadCheck): void {
  if (!current) return;
  current.checks.add(check);
  recordedChecks.add(check);
}

export function recordImportGraph(): void {
  if (current) current.importGraph = true;
}

/** Takes in what a memoised answer read: its frame, or, when it was stored while nothing was recorded, an opaque read. */
export function recordFrame(frame: ReadFrame | undefined): void {
  if (current) current.frame(frame ?? OPAQUE);
}

/**
 * Where a memo of the editor's next snapshot looks for an answer it does not have: the same memo of the project it
 * inherited from (see AnalysisProject.getMemoParent), and whether an entry's reads hold here. Resolved on each miss, so
 * that a memo keeps no earlier project alive once a later snapshot inherits from its own.
 */
export type MemoSource<K, V> = () => { memo: PeekableMemo<K, V> | undefined; keep: (frame: ReadFrame) => boolean } | undefined;

interface PeekableMemo<K, V> {
  peek(key: K): { value: V; frame: ReadFrame | undefined } | undefined;
}

/** Memo entries taken over from the snapshot before (see RecordingWeakMap.inheritsFrom), in this process; read by tests. */
export const memoTakeOvers = { entries: 0 };

/** Set while an entry's reads are judged: what that computes (a fact of an edited file) takes nothing over meanwhile. */
let judging = false;

function holds(keep: (frame: ReadFrame) => boolean, frame: ReadFrame): boolean {
  if (judging) return false;
  judging = true;
  try {
    return keep(frame);
  } finally {
    judging = false;
  }
}

/**
 * A WeakMap whose entries keep the frame open when they were stored, and hand it to whoever reads them: a memo over
 * tree nodes whose answers read other files (what a function returns, how a guard classifies) stays sound when the
 * editor reuses answers that read it.
 */
export class RecordingWeakMap<K extends object, V> extends WeakMap<K, V> {
  private frames: WeakMap<K, ReadFrame> | undefined;
  /** See MemoSource: consulted when a key is missing, the entry found is taken over with its frame when its reads hold. */
  inheritsFrom: MemoSource<K, V> | undefined;

  override get(key: K): V | undefined {
    if (this.inheritsFrom && !super.has(key)) this.takeOver(key);
    if (current && super.has(key)) current.frame(this.frames?.get(key) ?? OPAQUE);
    return super.get(key);
  }

  override has(key: K): boolean {
    if (this.inheritsFrom && !super.has(key)) this.takeOver(key);
    const has = super.has(key);
    if (has && current) current.frame(this.frames?.get(key) ?? OPAQUE);
    return has;
  }

  override set(key: K, value: V): this {
    // The constructor of WeakMap calls set before this class's fields exist. An entry stored while nothing is recorded
    // has no frame (read as opaque): the CLI, which never records, keeps no second table.
    if (current !== undefined) (this.frames ??= new WeakMap()).set(key, current);
    else this.frames?.delete(key);
    return super.set(key, value);
  }

  /** The entry and the frame it was stored with (undefined: stored while nothing was recorded), recording no read. */
  peek(key: K): { value: V; frame: ReadFrame | undefined } | undefined {
    return super.has(key) ? { value: super.get(key) as V, frame: this.frames?.get(key) } : undefined;
  }

  private takeOver(key: K): void {
    const source = this.inheritsFrom?.();
    const entry = source?.memo?.peek(key);
    if (!source || !entry?.frame) return;
    if (entry.value instanceof RecordingMap && entry.frame === NOTHING) {
      // An inner table (see innerTable): a table of this memo's own, whose entries are taken over one by one.
      const inner: RecordingMap<unknown, unknown> = new RecordingMap();
      inner.inheritsFrom = () => {
        const outer = this.inheritsFrom?.();
        const table = outer?.memo?.peek(key)?.value;
        return outer && table instanceof RecordingMap ? { memo: table as RecordingMap<unknown, unknown>, keep: outer.keep } : undefined;
      };
      (this.frames ??= new WeakMap()).set(key, NOTHING);
      super.set(key, inner as V);
    } else if (entry.frame.own && holds(source.keep, entry.frame)) {
      (this.frames ??= new WeakMap()).set(key, entry.frame);
      super.set(key, entry.value);
      memoTakeOvers.entries++;
    }
  }
}

/** The Map counterpart of RecordingWeakMap. */
export class RecordingMap<K, V> extends Map<K, V> {
  private frames: Map<K, ReadFrame> | undefined;
  /** See RecordingWeakMap.inheritsFrom (an inner table's entries). */
  inheritsFrom: MemoSource<K, V> | undefined;

  override get(key: K): V | undefined {
    if (this.inheritsFrom && !super.has(key)) this.takeOver(key);
    if (current && super.has(key)) current.frame(this.frames?.get(key) ?? OPAQUE);
    return super.get(key);
  }

  override has(key: K): boolean {
    if (this.inheritsFrom && !super.has(key)) this.takeOver(key);
    const has = super.has(key);
    if (has && current) current.frame(this.frames?.get(key) ?? OPAQUE);
    return has;
  }

  override set(key: K, value: V): this {
    // As RecordingWeakMap.set: no frame table until an entry is stored while reads are recorded.
    if (current !== undefined) (this.frames ??= new Map()).set(key, current);
    else this.frames?.delete(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.frames?.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.frames?.clear();
    super.clear();
  }

  /** See RecordingWeakMap.peek. */
  peek(key: K): { value: V; frame: ReadFrame | undefined } | undefined {
    return super.has(key) ? { value: super.get(key) as V, frame: this.frames?.get(key) } : undefined;
  }

  private takeOver(key: K): void {
    const source = this.inheritsFrom?.();
    const entry = source?.memo?.peek(key);
    // Inner tables hold answers, not tables: an entry is taken over with its frame when its reads hold.
    if (!source || !entry?.frame?.own || entry.value instanceof RecordingMap || !holds(source.keep, entry.frame)) return;
    (this.frames ??= new Map()).set(key, entry.frame);
    super.set(key, entry.value);
    memoTakeOvers.entries++;
  }
}

/** How a frame's reads fare in the next project: unchanged, unchanged but for the spans of some files' node refs, or changed. */
export type FrameAnswer = 'same' | 'moved' | 'changed';

/**
 * Whether what a frame read is unchanged in the next project: `check` answers for one frame's own reads (files, facts,
 * words, import graph); this walks the frames it took in, each checked once. 'moved' when some frame read only spans
 * that moved (see AnalysisProject.inheritFrom), which its answer may hold.
 */
export function checkFrame(
  frame: ReadFrame,
  check: (frame: ReadFrame) => FrameAnswer,
  known: Map<ReadFrame, FrameAnswer>,
  unchanged?: (frame: ReadFrame) => boolean,
): FrameAnswer {
  const stack: ReadFrame[] = [frame];
  const seen = new Set<ReadFrame>();
  let moved = false;
  while (stack.length > 0) {
    const next = stack.pop() as ReadFrame;
    if (seen.has(next)) continue;
    seen.add(next);
    // Known unchanged without a look inside (what an early cutoff found equal).
    if (next !== frame && unchanged?.(next)) continue;
    const answer = known.get(next);
    if (answer === 'changed') return 'changed';
    if (answer === 'same') continue;
    if (answer === 'moved') {
      // Its closure was walked and found valid, with a moved frame somewhere in it.
      moved = true;
      continue;
    }
    const own = next.opaque ? 'changed' : check(next);
    if (own === 'changed') {
      known.set(next, 'changed');
      // The frames that took this one in are invalid too; they are marked when asked for again (the walk stops here).
      return 'changed';
    }
    if (own === 'moved') moved = true;
    for (const inner of next.frames) stack.push(inner);
  }
  if (moved) {
    // Which of the frames reached read the moved spans is not kept: only the frame asked about is marked.
    known.set(frame, 'moved');
    return 'moved';
  }
  // Every frame reached is unchanged, and so is everything they took in: remember them all.
  for (const valid of seen) known.set(valid, 'same');
  return 'same';
}

/**
 * Whether a frame, or any frame it took in, satisfies `own` (reads an edited path, names a word an edit added or
 * removed, reads a changed check). Inheritance asks this first: an answer that reaches none of what an edit changed is
 * kept without comparing its reads one by one. A frame no longer changes once its answer is computed, so each answer is
 * kept on the frame under `key` and later edits of the same file (typing) find it there.
 */
export function reaches(root: ReadFrame, key: unknown, own: (frame: ReadFrame) => boolean): boolean {
  const known = root.reach?.get(key) as boolean | undefined;
  if (known !== undefined) return known;
  const mark = (frame: ReadFrame, value: boolean): void => {
    (frame.reach ??= new Map()).set(key, value);
  };
  if (own(root)) {
    mark(root, true);
    return true;
  }
  interface Item {
    frame: ReadFrame;
    children: Iterator<ReadFrame>;
    cyclic: boolean;
  }
  // Depth first without recursion (frames nest as deep as the analyses). A frame that meets one still open (frames that
  // took each other in) has not seen everything below it: its "no" is not kept, but the start frame's is.
  const open = new Set<ReadFrame>([root]);
  const stack: Item[] = [{ frame: root, children: root.frames.values(), cyclic: false }];
  for (;;) {
    const top = stack[stack.length - 1] as Item;
    const step = top.children.next();
    if (!step.done) {
      const child = step.value;
      const answer = child.reach?.get(key) as boolean | undefined;
      if (answer === false) continue;
      if (answer === true || (answer === undefined && !open.has(child) && own(child))) {
        mark(child, true);
        // Every frame open now took in, directly or not, one that reaches it.
        for (const item of stack) mark(item.frame, true);
        return true;
      }
      if (open.has(child)) top.cyclic = true;
      else {
        open.add(child);
        stack.push({ frame: child, children: child.frames.values(), cyclic: false });
      }
      continue;
    }
    stack.pop();
    open.delete(top.frame);
    const parent = stack[stack.length - 1];
    if (!parent) {
      mark(root, false);
      return false;
    }
    if (top.cyclic) parent.cyclic = true;
    else mark(top.frame, false);
  }
}

/** How a frame and the frames it took in read one file: whole (text, tree), or only some of its local facts. */
export interface FileReads {
  readonly whole: boolean;
  readonly facts: ReadonlySet<ReadFact>;
}

const NO_READS: FileReads = Object.freeze({ whole: false, facts: new Set<ReadFact>() });
/** A whole read: what else was read of the file does not matter (an answer reaching it is not taken over). */
const WHOLE: FileReads = Object.freeze({ whole: true, facts: new Set<ReadFact>() });

/**
 * How `root` and every frame it took in read `file` (see FileReads): inheritance keeps, without a walk, an answer that
 * read only facts of an edited file whose values the edit left as they were. Kept on each frame like `reaches`; a frame
 * that meets one still open (a cycle) is summed up only as part of the frame the walk started from.
 */
/** Project facts whose frames `readsOfFile` does not look into, named by `key`; `questions` keeps its questions by file. */
export interface PassOver {
  readonly facts: ReadonlySet<string>;
  readonly key: string;
  questions?: Map<ReadFile, string>;
}

/** The question `readsOfFile` asks of frames, by file: asked of thousands of frames per edit, made once. */
const fileQuestions = new Map<ReadFile, string>();

export function readsOfFile(root: ReadFrame, file: ReadFile, passOver?: PassOver): FileReads {
  let base = fileQuestions.get(file);
  if (base === undefined) fileQuestions.set(file, (base = `file\u0000${file}`));
  // With `passOver`, the frames of those project facts are not looked into (an early cutoff found their values equal);
  // the answers are kept under a question of their own, made once per file.
  let key = base;
  if (passOver) {
    const keys = (passOver.questions ??= new Map());
    key = keys.get(file) ?? `${base}\u0000${passOver.key}`;
    keys.set(file, key);
  }
  const known = root.reach?.get(key) as FileReads | undefined;
  if (known) return known;
  interface Item {
    frame: ReadFrame;
    children: Iterator<ReadFrame>;
    whole: boolean;
    facts: Set<ReadFact> | undefined;
    cyclic: boolean;
  }
  const start = (frame: ReadFrame): Item => {
    let facts: Set<ReadFact> | undefined;
    for (const [fact, paths] of frame.facts) if (paths.has(file)) (facts ??= new Set()).add(fact);
    return { frame, children: frame.frames.values(), whole: frame.files.has(file), facts, cyclic: false };
  };
  const merge = (into: Item, from: FileReads): void => {
    into.whole ||= from.whole;
    for (const fact of from.facts) (into.facts ??= new Set()).add(fact);
  };
  // A whole read decides: every frame open on the walk reaches it, and the walk stops there (most answers an edit
  // voids read the edited file whole, and their frames need not be walked to the end).
  const whole = (): FileReads => {
    for (const item of stack) (item.frame.reach ??= new Map()).set(key, WHOLE);
    return WHOLE;
  };
  const open = new Set<ReadFrame>([root]);
  const stack: Item[] = [start(root)];
  if ((stack[0] as Item).whole) return whole();
  for (;;) {
    const top = stack[stack.length - 1] as Item;
    const step = top.children.next();
    if (!step.done) {
      const child = step.value;
      if (passOver && child.factName !== undefined && passOver.facts.has(child.factName)) continue;
      const summed = child.reach?.get(key) as FileReads | undefined;
      if (summed?.whole) return whole();
      if (summed) merge(top, summed);
      else if (open.has(child)) top.cyclic = true;
      else {
        open.add(child);
        const item = start(child);
        stack.push(item);
        if (item.whole) return whole();
      }
      continue;
    }
    stack.pop();
    open.delete(top.frame);
    const reads: FileReads = !top.whole && !top.facts ? NO_READS : { whole: top.whole, facts: top.facts ?? new Set() };
    const parent = stack[stack.length - 1];
    if (!parent || !top.cyclic) (top.frame.reach ??= new Map()).set(key, reads);
    if (!parent) return reads;
    if (top.cyclic) parent.cyclic = true;
    merge(parent, reads);
  }
}

/** Every check any frame recorded (they are module constants, a few dozen): inheritance asks which of them changed. */
export const recordedChecks = new Set<ReadCheck>();

/** Every word a word query named: an edit that adds or removes no such word changes no word answer. */
export const queriedWords = new Set<string>();

/** A node ref of a portable fact (core/node-ref.ts): exactly `pos`, `end` and `kind`. */
function isSpan(value: object): value is { pos: number; end: number; kind: number } {
  const keys = Object.keys(value);
  return keys.length === 3 && 'pos' in value && 'end' in value && 'kind' in value;
}

/**
 * Whether two plain values (what a portable fact holds: primitives, arrays, plain objects, Map, Set) are equal in
 * structure. Sets and Maps compare by entries in order: a fact computed from equal texts fills them in the same order,
 * and a false "different" only costs a recomputation. With `ignoreSpans`, node refs compare by kind alone (an edit
 * inside a function moves the ends of the declarations around it and the spans after it).
 */
export function isSameData(a: unknown, b: unknown, options: { ignoreSpans?: boolean } = {}): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const same = (x: unknown, y: unknown): boolean => isSameData(x, y, options);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => same(item, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const other = [...b];
    return [...a].every(([key, value], i) => same(key, other[i]?.[0]) && same(value, other[i]?.[1]));
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    const other = [...b];
    return [...a].every((item, i) => same(item, other[i]));
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (options.ignoreSpans && isSpan(a) && isSpan(b)) return a.kind === b.kind;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && same(left[key], right[key]));
}

/** Answers of `mentionsText` by value object: a value taken over by the next snapshot is asked again about the same file. */
const mentionAnswers = new WeakMap<object, Map<string, boolean>>();

/**
 * Whether a plain value holds a string containing `text` (a file's relative path), in any array, object, Map or Set.
 * A plain value is never changed once it is an answer, so what is known of an object stays true.
 */
export function mentionsText(value: unknown, text: string): boolean {
  if (typeof value !== 'object' || value === null) return typeof value === 'string' && value.includes(text);
  let answers = mentionAnswers.get(value);
  if (!answers) mentionAnswers.set(value, (answers = new Map()));
  let answer = answers.get(text);
  if (answer === undefined) answers.set(text, (answer = searchText(value, text)));
  return answer;
}

function searchText(value: object, text: string): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next.includes(text)) return true;
      continue;
    }
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (next instanceof Map) for (const [key, item] of next) stack.push(key, item);
    else if (next instanceof Set || Array.isArray(next)) for (const item of next) stack.push(item);
    else for (const item of Object.values(next)) stack.push(item);
  }
  return false;
}
