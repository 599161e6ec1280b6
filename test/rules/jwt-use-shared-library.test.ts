import { describe } from 'vitest';
import rule from '../../rules/jwt-use-shared-library.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-use-shared-library.cases.js';

describe('jwt-use-shared-library', () => testRuleCases(rule, cases));
