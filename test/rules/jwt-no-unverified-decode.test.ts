import { describe } from 'vitest';
import rule from '../../rules/jwt-no-unverified-decode.js';
import { testRuleCases } from '../support/rule-cases.js';
import { cases } from './jwt-no-unverified-decode.cases.js';

describe('jwt-no-unverified-decode', () => testRuleCases(rule, cases));
