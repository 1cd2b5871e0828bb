// CheckSettings: how `gatehouse check` judges a change (gate levels, Rego coverage, allowed upstreams,
// what counts as high risk). At most one per registry; every field is optional.
import { Type, type Static } from '@sinclair/typebox';
import { CODES, type DiagnosticCode } from '../diagnostics/codes.ts';
import { NameRef, RISK_LEVELS, StringEnum, documentSchema } from './common.ts';
import { Governance } from './governance.ts';

/** The safety gates of `gatehouse check`, by code, in the order they run and are reported. */
export const GATE_CODES = [
  'default-allow',
  'high-risk-broad-grant',
  'team-without-idp-mapping',
  'classification-not-cleared',
  'unusable-grant',
  'upstream-not-allowed',
  'missing-owner-or-cost-center',
  'rego-tests-failing',
  'rego-coverage',
  'rego-format',
  'rego-lint',
  'deny-rule-removed',
  'new-high-risk-grant',
  'shared-secret-ref',
] as const satisfies readonly DiagnosticCode[];

export type GateCode = (typeof GATE_CODES)[number];

export const GATE_LEVELS = ['error', 'warning', 'off'] as const;

/** What a gate that fires does: fail the check (error), report only (warning), or not run (off). */
export type GateLevel = (typeof GATE_LEVELS)[number];

/** CheckSettings: the level of each gate of `gatehouse check` (documented per gate in the schema). */
export const GATE_DEFAULTS: Readonly<Record<GateCode, GateLevel>> = {
  'default-allow': 'error',
  'high-risk-broad-grant': 'error',
  'team-without-idp-mapping': 'error',
  'classification-not-cleared': 'error',
  'unusable-grant': 'warning',
  'upstream-not-allowed': 'error',
  'missing-owner-or-cost-center': 'warning',
  'rego-tests-failing': 'error',
  'rego-coverage': 'error',
  'rego-format': 'error',
  'rego-lint': 'error',
  'deny-rule-removed': 'error',
  'new-high-risk-grant': 'warning',
  'shared-secret-ref': 'error',
};

/** A gate's level field, described by what the gate catches and its default. */
const level = (code: GateCode) =>
  StringEnum(GATE_LEVELS, `${CODES[code].title}: error fails the check, warning reports only, off skips the gate. Default ${GATE_DEFAULTS[code]}.`);

export const CheckSettingsSpec = Type.Object(
  {
    gates: Type.Optional(
      Type.Object(Object.fromEntries(GATE_CODES.map((code) => [code, Type.Optional(level(code))])), {
        additionalProperties: false,
        description: 'The level of each gate, by code (see docs/checks.md). Gates left out keep their default level.',
      }),
    ),
    rego: Type.Optional(
      Type.Object(
        {
          coverageThreshold: Type.Optional(
            Type.Number({ minimum: 0, maximum: 100, description: 'The least `opa test --coverage` percentage the rego-coverage gate accepts. Default 90.' }),
          ),
        },
        { additionalProperties: false, description: 'The Rego checks.' },
      ),
    ),
    upstreams: Type.Optional(
      Type.Object(
        {
          allowedHosts: Type.Optional(
            Type.Array(
              Type.String({
                pattern: '^[A-Za-z0-9.*:\\[\\]-]{1,253}$',
                description: 'A host name or IP address, where `*` matches any run of characters (`*.internal`).',
              }),
              { description: 'The hosts MCP server upstreams may point at. Empty or left out: any host.' },
            ),
          ),
          allowedRegions: Type.Optional(
            Type.Array(Type.String({ pattern: '^[a-z0-9*-]{1,63}$', description: 'A region, where `*` matches any run of characters (`eu-*`).' }), {
              description: 'The regions MCP servers may run in. Empty or left out: any region.',
            }),
          ),
        },
        { additionalProperties: false, description: 'Where MCP server upstreams may be (the upstream-not-allowed gate).' },
      ),
    ),
    sharedSecretRefs: Type.Optional(
      Type.Array(
        Type.Object(
          {
            secretRef: NameRef('The secret reference that may be shared'),
            servers: Type.Array(NameRef('An McpServer that may send the credential'), {
              minItems: 1,
              description: 'The servers that may send this credential, each to its own upstream host (a host change of one of them is allowed too).',
            }),
          },
          { additionalProperties: false, description: 'A credential that several servers may use, or whose server may move to a new host.' },
        ),
        { description: 'The exceptions to the shared-secret-ref gate: without one, a secretRef used by two servers, or sent to a new host, fails the check.' },
      ),
    ),
    highRisk: Type.Optional(
      Type.Array(StringEnum(RISK_LEVELS, 'A risk level.'), {
        minItems: 1,
        description: 'The tool risk levels the high-risk gates treat as high risk. Default `[high, critical]`.',
      }),
    ),
    governance: Type.Optional(Governance),
  },
  {
    additionalProperties: false,
    description: 'Gate levels, the Rego coverage threshold, the allowed upstreams, the shared credentials, and what counts as high risk.',
  },
);

export const CheckSettingsDocument = documentSchema(
  'CheckSettings',
  CheckSettingsSpec,
  'How `gatehouse check` judges a change: gate levels, the Rego coverage threshold, allowed upstreams, high risk. At most one per registry.',
);

export type CheckSettingsSpec = Static<typeof CheckSettingsSpec>;
