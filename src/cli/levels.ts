import { InvalidArgumentError, Option } from 'commander';
import { normalizeLevel } from '../core/config.js';
import type { Level } from '../core/types.js';

export type FailOn = Level | 'none';

const FAIL_ON_CHOICES = ['error', 'warning', 'warn', 'note', 'none'] as const;

/** `--fail-on <level>`, shared by every command that reports findings; `warn` is read as `warning`. */
export function getFailOnOption(): Option {
  return new Option('--fail-on <level>', 'lowest finding level that makes the exit code 1 ("warn" is "warning")')
    .choices(FAIL_ON_CHOICES)
    .argParser((value: string): FailOn => {
      if (!(FAIL_ON_CHOICES as readonly string[]).includes(value)) {
        throw new InvalidArgumentError(`Allowed choices are ${FAIL_ON_CHOICES.join(', ')}.`);
      }
      return normalizeLevel(value as (typeof FAIL_ON_CHOICES)[number]);
    })
    .default('error');
}

/** `--max-warnings <n>`: a non-negative integer. */
export function parseMaxWarnings(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a non-negative whole number.');
  return Number(value);
}
