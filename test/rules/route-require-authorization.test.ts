import { describe } from 'vitest';
import rule from '../../rules/route-require-authorization.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './route-require-authorization.cases.js';

describe('route-require-authorization', () => testRuleCases(rule, cases));
