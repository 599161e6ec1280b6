import { describe } from 'vitest';
import rule from '../../rules/s2s-require-token.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './s2s-require-token.cases.js';

describe('s2s-require-token', () => testRuleCases(rule, cases));
