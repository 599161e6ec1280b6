import { describe } from 'vitest';
import rule from '../../rules/jwt-no-hand-rolled-parsing.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-hand-rolled-parsing.cases.js';

describe('jwt-no-hand-rolled-parsing', () => testRuleCases(rule, cases));
