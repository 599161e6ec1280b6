import { describe } from 'vitest';
import rule from '../../rules/authz-no-client-controlled-decision.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './authz-no-client-controlled-decision.cases.js';

describe('authz-no-client-controlled-decision', () => testRuleCases(rule, cases));
