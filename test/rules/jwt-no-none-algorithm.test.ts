import { describe } from 'vitest';
import rule from '../../rules/jwt-no-none-algorithm.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-none-algorithm.cases.js';

describe('jwt-no-none-algorithm', () => testRuleCases(rule, cases));
