// One short, realistic document per kind for the registry reference, trimmed from the example
// registry (registry/). Tests check each one validates against its kind's schema.
import type { Kind } from '../../compiler/src/schema/kinds.ts';

/** Each kind's example: where it would live in a repository, and its YAML. */
export const KIND_EXAMPLES: Readonly<Record<Kind, { readonly file: string; readonly yaml: string }>> = {
  McpServer: {
    file: 'registry/mcp-servers/payments.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: McpServer
metadata:
  name: payments
spec:
  description: Payments ledger (look up payments and invoices, issue refunds).
  owner: payments
  costCenter: CC-4100-PAY
  upstream:
    url: https://payments.internal:8443/mcp
    timeout: 20s
    connectTimeout: 2s
  dataClassification: restricted
  region: eu-central-1
  credential:
    secretRef: payments-api-key
    header: X-Api-Key
  tools:
    - name: lookup_payment
      description: One payment by id, with its status and refunds.
      risk: low
      costPerCall: 0.001
    - name: issue_refund
      description: Refunds all or part of a payment to the customer.
      risk: high
      costPerCall: 0.05
`,
  },
  VirtualServer: {
    file: 'registry/virtual-servers/helpdesk.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: VirtualServer
metadata:
  name: helpdesk
spec:
  description: Everything a support agent needs in one endpoint, tickets and the knowledge base.
  members:
    - server: tickets
      tools: ["*"]
    - server: docs
      tools: [search_docs, get_page]
`,
  },
  Team: {
    file: 'registry/teams/support.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: Team
metadata:
  name: support
spec:
  description: Customer support agents.
  costCenter: CC-2200
  clearance: confidential
  idpGroups:
    - provider: corp-sso
      group: support-agents
`,
  },
  IdentityProvider: {
    file: 'registry/identity-providers/corp-sso.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: IdentityProvider
metadata:
  name: corp-sso
spec:
  issuer: https://login.example.com
  jwks:
    uri: https://login.example.com/.well-known/jwks.json
    cacheDuration: 300s
  claims:
    groups: groups
  scopes: [mcp]
`,
  },
  Grant: {
    file: 'registry/grants/support.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: Grant
metadata:
  name: support-helpdesk
spec:
  description: Support agents work tickets end to end and read the knowledge base.
  # A team; one user as corp-sso names them (sub); a verified email address.
  subjects: [team:support, "user:corp-sso/u-1042", "email:oncall-lead@example.com"]
  access:
    - server: tickets
      tools: [search_tickets, get_ticket, create_ticket, add_comment, close_ticket]
    - server: docs
      tools: ["search_*", get_page]
`,
  },
  Gateway: {
    file: 'registry/gateways/prod-eu.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: Gateway
metadata:
  name: prod-eu
spec:
  fleet: eu
  listener:
    address: 0.0.0.0
    port: 10000
  publicUrl: https://mcp.example.com
  allowedHosts: [mcp-eu.example.com]
  authz:
    timeout: 500ms
  tracing:
    collector: otel-collector.observability:4317
    samplingPercent: 10
`,
  },
  CheckSettings: {
    file: 'registry/check-settings/checks.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: CheckSettings
metadata:
  name: checks
spec:
  gates:
    missing-owner-or-cost-center: error
    new-high-risk-grant: warning
  rego:
    coverageThreshold: 90
  upstreams:
    allowedHosts: ["*.internal"]
    allowedRegions: ["eu-*"]
  highRisk: [high, critical]
`,
  },
  Guardrail: {
    file: 'registry/guardrails/payments-pii.yaml',
    yaml: `
apiVersion: gatehouse.dev/v1alpha1
kind: Guardrail
metadata:
  name: payments-pii
spec:
  description: >-
    Card numbers and bank accounts never leave the payments server unmasked, credentials never travel
    in either direction, and instructions hidden in payment notes never reach the model.
  appliesTo:
    servers: [payments]
  detectors:
    - type: payment-card
      action: redact
      in: results
    - type: iban
      action: redact
      in: results
    - type: secret
      action: block
      minConfidence: 0.9
    - type: prompt-injection
      action: block
      minConfidence: 0.8
    - type: email
      action: log
      in: results
`,
  },
};
