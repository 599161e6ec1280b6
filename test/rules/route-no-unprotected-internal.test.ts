import { describe } from 'vitest';
import rule from '../../rules/route-no-unprotected-internal.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './route-no-unprotected-internal.cases.js';

describe('route-no-unprotected-internal', () => testRuleCases(rule, cases));
