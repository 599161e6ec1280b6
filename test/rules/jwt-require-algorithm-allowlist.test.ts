import { describe } from 'vitest';
import rule from '../../rules/jwt-require-algorithm-allowlist.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-require-algorithm-allowlist.cases.js';

describe('jwt-require-algorithm-allowlist', () => testRuleCases(rule, cases));
