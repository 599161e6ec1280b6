import { describe } from 'vitest';
import rule from '../../rules/jwt-no-symmetric-algorithm.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-symmetric-algorithm.cases.js';

describe('jwt-no-symmetric-algorithm', () => testRuleCases(rule, cases));
