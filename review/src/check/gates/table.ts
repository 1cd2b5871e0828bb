// The gates, in the order they run and are reported (the order of GATE_CODES).
import { GATE_CODES, type GateCode } from '../../../../compiler/src/schema/check-settings.ts';
import type { Gate } from '../gate.ts';
import { classificationNotCleared } from './classification-not-cleared.ts';
import { defaultAllow } from './default-allow.ts';
import { denyRuleRemoved } from './deny-rule-removed.ts';
import { highRiskBroadGrant } from './high-risk-broad-grant.ts';
import { missingOwnerOrCostCenter } from './missing-owner-or-cost-center.ts';
import { newHighRiskGrant } from './new-high-risk-grant.ts';
import { regoCoverage } from './rego-coverage.ts';
import { regoFormat } from './rego-format.ts';
import { regoLint } from './rego-lint.ts';
import { regoTestsFailing } from './rego-tests-failing.ts';
import { sharedSecretRef } from './shared-secret-ref.ts';
import { teamWithoutIdpMapping } from './team-without-idp-mapping.ts';
import { unusableGrant } from './unusable-grant.ts';
import { upstreamNotAllowed } from './upstream-not-allowed.ts';

const BY_CODE: Readonly<Record<GateCode, Gate>> = {
  'default-allow': defaultAllow,
  'high-risk-broad-grant': highRiskBroadGrant,
  'team-without-idp-mapping': teamWithoutIdpMapping,
  'classification-not-cleared': classificationNotCleared,
  'unusable-grant': unusableGrant,
  'upstream-not-allowed': upstreamNotAllowed,
  'missing-owner-or-cost-center': missingOwnerOrCostCenter,
  'rego-tests-failing': regoTestsFailing,
  'rego-coverage': regoCoverage,
  'rego-format': regoFormat,
  'rego-lint': regoLint,
  'deny-rule-removed': denyRuleRemoved,
  'new-high-risk-grant': newHighRiskGrant,
  'shared-secret-ref': sharedSecretRef,
};

export const GATES: readonly Gate[] = GATE_CODES.map((code) => BY_CODE[code]);
