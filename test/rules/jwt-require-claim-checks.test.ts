import { describe } from 'vitest';
import rule from '../../rules/jwt-require-claim-checks.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-require-claim-checks.cases.js';

describe('jwt-require-claim-checks', () => testRuleCases(rule, cases));
