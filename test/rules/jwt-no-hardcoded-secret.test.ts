import { describe } from 'vitest';
import rule from '../../rules/jwt-no-hardcoded-secret.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-hardcoded-secret.cases.js';

describe('jwt-no-hardcoded-secret', () => testRuleCases(rule, cases));
