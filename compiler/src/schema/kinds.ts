// The registry kinds and their document schemas.
import type { TObject } from '@sinclair/typebox';
import { CheckSettingsDocument, type CheckSettingsSpec } from './check-settings.ts';
import { GatewayDocument, type GatewaySpec } from './gateway.ts';
import { GuardrailDocument, type GuardrailSpec } from './guardrail.ts';
import { GrantDocument, type GrantSpec } from './grant.ts';
import { IdentityProviderDocument, type IdentityProviderSpec } from './identity-provider.ts';
import { McpServerDocument, type McpServerSpec } from './mcp-server.ts';
import { TeamDocument, type TeamSpec } from './team.ts';
import { VirtualServerDocument, type VirtualServerSpec } from './virtual-server.ts';

/** Each kind's spec type. */
export interface SpecByKind {
  McpServer: McpServerSpec;
  VirtualServer: VirtualServerSpec;
  Team: TeamSpec;
  IdentityProvider: IdentityProviderSpec;
  Grant: GrantSpec;
  Gateway: GatewaySpec;
  CheckSettings: CheckSettingsSpec;
  Guardrail: GuardrailSpec;
}

export type Kind = keyof SpecByKind;

/** The kinds, in the order they are documented. */
export const KINDS: readonly Kind[] = ['McpServer', 'VirtualServer', 'Team', 'IdentityProvider', 'Grant', 'Gateway', 'CheckSettings', 'Guardrail'];

export const DOCUMENT_SCHEMAS: Readonly<Record<Kind, TObject>> = {
  McpServer: McpServerDocument,
  VirtualServer: VirtualServerDocument,
  Team: TeamDocument,
  IdentityProvider: IdentityProviderDocument,
  Grant: GrantDocument,
  Gateway: GatewayDocument,
  CheckSettings: CheckSettingsDocument,
  Guardrail: GuardrailDocument,
};

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}
