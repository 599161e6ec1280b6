/**
 * Policy engines that decide access in the request path (auth-idioms C3). A call of one of these
 * methods, on a receiver that comes from the package (or, when nothing resolves, whose name matches
 * the receiver pattern), counts as authorization evidence for the route that runs it.
 */

export interface PolicyEngine {
  name: string;
  packages: readonly string[];
  /** Methods of the engine's instances or exports that decide (or filter by) access. */
  methods: ReadonlySet<string>;
  /** Receiver names used by convention when the instance cannot be followed to the package. */
  receiverName: RegExp;
}

export const POLICY_ENGINES: readonly PolicyEngine[] = [
  {
    name: 'CASL',
    packages: ['@casl/ability', '@casl/mongoose', '@casl/prisma', 'nest-casl'],
    methods: new Set(['can', 'cannot', 'throwUnlessCan', 'accessibleBy', 'relevantRuleFor', 'permittedFieldsOf']),
    receiverName: /abilit(?:y|ies)$|^forbiddenError$|^ForbiddenError$/i,
  },
  {
    name: 'casbin',
    packages: ['casbin', 'node-casbin'],
    methods: new Set(['enforce', 'enforceSync', 'enforceEx', 'batchEnforce']),
    receiverName: /enforcer$/i,
  },
  {
    name: 'accesscontrol',
    packages: ['accesscontrol', 'nest-access-control'],
    methods: new Set(['can', 'permission']),
    receiverName: /^(?:ac|accessControl|roleBuilder|rbac)$/i,
  },
  {
    name: 'Oso',
    packages: ['oso', 'oso-cloud'],
    methods: new Set(['authorize', 'isAllowed', 'authorizeRequest', 'authorizeField', 'authorizedActions']),
    receiverName: /^oso$/i,
  },
  {
    name: 'Cerbos',
    packages: ['@cerbos/grpc', '@cerbos/http', '@cerbos/embedded', '@cerbos/embedded-client'],
    methods: new Set(['checkResource', 'checkResources', 'isAllowed', 'planResources']),
    receiverName: /cerbos$/i,
  },
  {
    name: 'OPA',
    packages: ['@open-policy-agent/opa-wasm', '@open-policy-agent/opa', '@styra/opa'],
    methods: new Set(['evaluate', 'evaluateDefault', 'evaluateBatch']),
    receiverName: /^(?:opa|policy|opaClient)$/i,
  },
  {
    name: 'Permit.io',
    packages: ['permitio'],
    methods: new Set(['check', 'bulkCheck']),
    receiverName: /^permit$/i,
  },
  {
    name: 'OpenFGA',
    packages: ['@openfga/sdk'],
    methods: new Set(['check', 'batchCheck', 'listObjects']),
    receiverName: /^(?:fga|fgaClient|openFga)$/i,
  },
];

/** CASL's helper that turns an ability into a database filter (`accessibleBy(ability).ofType('Post')`), called as a function. */
export const POLICY_FUNCTIONS: Readonly<Record<string, string>> = {
  accessibleBy: 'CASL',
  accessibleRecordsPlugin: 'CASL',
  permittedFieldsOf: 'CASL',
};
