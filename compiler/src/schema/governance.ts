// CheckSettings.spec.governance: the declarations `gatehouse preflight` needs that the rest of the
// registry does not hold: the least audit retention, the servers that handle personal data, how
// restricted servers are isolated, and the break-glass procedure. Each is optional; a point whose
// declaration is missing fails with the fix.
import { Type, type Static } from '@sinclair/typebox';
import { LongDuration } from './audit.ts';
import { NameRef } from './common.ts';

export const Governance = Type.Object(
  {
    auditRetention: Type.Optional(
      Type.String({
        pattern: '^[0-9]+(s|m|h|d)$',
        description: 'The least time every gateway\'s audit log must be kept (`365d`): the audit-retention point of `gatehouse preflight`.',
      }),
    ),
    piiServers: Type.Optional(
      Type.Array(NameRef('An McpServer that handles personal data'), {
        description: 'The servers that handle personal data: each needs guardrails (arguments redacted or digested in the audit log, never raw).',
      }),
    ),
    isolation: Type.Optional(
      Type.Object(
        {
          restrictedFleets: Type.Array(NameRef('A fleet that may serve restricted servers'), {
            minItems: 1,
            description: 'The fleets whose gateways may serve servers classified restricted; no other fleet may.',
          }),
          networkPolicy: Type.String({
            minLength: 1,
            maxLength: 1024,
            description: 'The file, relative to the repository root, holding the Kubernetes NetworkPolicy that fences the restricted fleets.',
          }),
        },
        { additionalProperties: false, description: 'How servers classified restricted are kept apart from the rest.' },
      ),
    ),
    breakGlass: Type.Optional(
      Type.Object(
        {
          procedure: Type.String({
            minLength: 1,
            maxLength: 1024,
            description: 'Where the emergency-access procedure is written down: a file relative to the repository root, or an https URL.',
          }),
          contacts: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
            minItems: 1,
            description: 'Who may invoke it (people, rotations or channels).',
          }),
          maxDuration: Type.Optional(LongDuration),
        },
        { additionalProperties: false, description: 'The break-glass procedure: emergency access outside the reviewed grants.' },
      ),
    ),
  },
  { additionalProperties: false, description: 'Declarations read by `gatehouse preflight` (docs/preflight.md).' },
);

export type Governance = Static<typeof Governance>;
