/**
 * Functions that build an object from others (configuration stores, option defaults): which calls
 * merge their arguments, in which order, and whether nested objects are merged or replaced.
 * Read by the value flow of src/facts/values.ts; declarative knowledge only.
 */

export interface ObjectMergeModel {
  /** Package names; `global` for `Object.*`. */
  modules: readonly string[];
  /** Export path without `default`; '' = the module's own default/CommonJS export. */
  exports: readonly string[];
  /** `later`: a later argument overrides an earlier one (`Object.assign`); `earlier`: the first wins (`defu`, `_.defaults`). */
  wins: 'later' | 'earlier';
  /** Nested objects are merged key by key rather than replaced. */
  deep: boolean;
  /** The first argument is changed in place (the store it names holds the result afterwards). */
  mutatesTarget: boolean;
}

const LODASH = ['lodash', 'lodash-es', 'underscore'];

export const OBJECT_MERGE_FUNCTIONS: readonly ObjectMergeModel[] = [
  { modules: ['global'], exports: ['Object.assign'], wins: 'later', deep: false, mutatesTarget: true },
  { modules: LODASH, exports: ['assign', 'assignIn', 'extend'], wins: 'later', deep: false, mutatesTarget: true },
  { modules: LODASH, exports: ['merge', 'mergeWith'], wins: 'later', deep: true, mutatesTarget: true },
  { modules: LODASH, exports: ['defaults'], wins: 'earlier', deep: false, mutatesTarget: true },
  { modules: LODASH, exports: ['defaultsDeep'], wins: 'earlier', deep: true, mutatesTarget: true },
  { modules: ['lodash.merge', 'lodash/merge', 'lodash-es/merge'], exports: [''], wins: 'later', deep: true, mutatesTarget: true },
  { modules: ['lodash.assign', 'lodash/assign', 'lodash-es/assign'], exports: [''], wins: 'later', deep: false, mutatesTarget: true },
  { modules: ['lodash.defaultsdeep', 'lodash/defaultsDeep', 'lodash-es/defaultsDeep'], exports: [''], wins: 'earlier', deep: true, mutatesTarget: true },
  { modules: ['deepmerge', 'merge-deep'], exports: ['', 'all'], wins: 'later', deep: true, mutatesTarget: false },
  { modules: ['deepmerge-ts'], exports: ['deepmerge'], wins: 'later', deep: true, mutatesTarget: false },
  { modules: ['defu'], exports: ['', 'defu'], wins: 'earlier', deep: true, mutatesTarget: false },
];

/**
 * Calls that return a function running their first argument (Node's `util.promisify`): a call of what they return runs
 * the function they were given, and JWT calls and credential checks are read through them.
 */
export const PROMISIFY_FUNCTIONS: ReadonlyArray<{ module: string; export: string }> = [
  { module: 'util', export: 'promisify' },
  { module: 'node:util', export: 'promisify' },
];

/** Whether an export (module, then its path joined with dots, no `default`) is a promisify function. */
export function isPromisifyExport(module: string, exportPath: string): boolean {
  return PROMISIFY_FUNCTIONS.some((f) => f.module === module && f.export === exportPath);
}

/** Calls that return their (first) argument unchanged, as far as its value goes. */
export const IDENTITY_FUNCTIONS: ReadonlyArray<{ module: string; export: string }> = [
  { module: 'global', export: 'Object.freeze' },
  { module: 'global', export: 'structuredClone' },
  { module: 'lodash', export: 'cloneDeep' },
  { module: 'lodash', export: 'clone' },
];

/**
 * A repository's own merge helper, recognised by its name (`deepMerge(current, provided)` in a
 * configuration store): its body is a loop over keys that cannot be evaluated statically.
 */
export const LOCAL_MERGE_FUNCTION_NAME = /^(?:deep_?merge|merge_?deep|merge_?(?:config|configs|options|objects)?)$/i;
