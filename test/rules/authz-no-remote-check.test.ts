import { describe } from 'vitest';
import rule from '../../rules/authz-no-remote-check.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './authz-no-remote-check.cases.js';

describe('authz-no-remote-check', () => testRuleCases(rule, cases));
