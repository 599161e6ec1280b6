import { describe } from 'vitest';
import rule from '../../rules/jwt-no-hardcoded-token.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-hardcoded-token.cases.js';

describe('jwt-no-hardcoded-token', () => testRuleCases(rule, cases));
