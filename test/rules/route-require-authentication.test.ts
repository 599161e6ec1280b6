import { describe } from 'vitest';
import rule from '../../rules/route-require-authentication.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './route-require-authentication.cases.js';

describe('route-require-authentication', () => testRuleCases(rule, cases));
