// The ext_authz service (envoy.service.auth.v3.Authorization/Check): builds the policy input,
// evaluates the current bundle, and answers with the decision. Anything that goes wrong denies.
import type { Registry } from '@bufbuild/protobuf';
import type { sendUnaryData, ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { envoyRegistry } from '../../../artifacts/src/envoy-registry.ts';
import { DECISION_ENTRYPOINT, type PolicyEngine } from '../../../artifacts/src/policy/engine.ts';
import type { Metrics } from '../admin/metrics.ts';
import type { Logger } from '../log.ts';
import { jsonFromBinary } from '../proto/json-from-binary.ts';
import { method, schemas } from '../proto/messages.ts';
import { buildPolicyInput, MalformedRequest, type PolicyInput } from './check-input.ts';
import { encodeCheckResponse } from './check-response.ts';
import { takeCallerToken } from './caller-token.ts';
import { controlPlaneDenial, isDecision, type Decision } from './decision.ts';
import type { PeerAuthenticator } from '../tls/peer-identity.ts';
import { permissionDenied } from '../tls/node-claims.ts';

type CheckRequest = { $typeName: string; attributes?: unknown };
type CheckResponse = { $typeName: string };

const check = method<CheckRequest, CheckResponse>('/envoy.service.auth.v3.Authorization/Check', schemas.checkRequest, schemas.checkResponse, {
  requestStream: false,
  responseStream: false,
});

/** Check takes and gives protobuf bytes: the request is read straight into its JSON form, the response written from the decision. */
export const AUTHZ_SERVICE: ServiceDefinition = {
  Check: { ...check, requestDeserialize: (bytes: Buffer) => bytes, responseSerialize: (bytes: Buffer) => bytes },
};

export interface AuthzDependencies {
  /** The engine of the artifacts in force; undefined before any artifacts loaded. */
  engine(): PolicyEngine | undefined;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Called with every decision (for the audit log). */
  onDecision?(input: PolicyInput | undefined, decision: Decision): void;
  /**
   * Adds to a decision before Envoy gets it (the audit fields of its dynamic metadata, the upstream
   * token of a server with an upstream identity). `callerToken`: the caller's bearer token, when
   * jwt_authn kept it for an exchange; it is not in `input`.
   */
  annotate?(input: PolicyInput | undefined, decision: Decision, callerToken?: string): Decision | Promise<Decision>;
  /** mTLS: only authenticated Envoy nodes get an answer (a decision carries trust: it says a token was verified). Absent: plaintext. */
  readonly peers?: PeerAuthenticator;
}

export interface Decided {
  /** Undefined when the request never became a policy input. */
  readonly input?: PolicyInput;
  readonly decision: Decision;
  readonly outcome: 'allow' | 'deny' | 'error';
}

/** Evaluates one request's attributes (protobuf JSON) to a decision. Pure apart from the engine. */
export function decide(engine: PolicyEngine | undefined, attributes: Record<string, unknown>, logger: Logger): Decided {
  if (!engine) return { decision: controlPlaneDenial(503, -32000, 'the gateway has no policy loaded yet'), outcome: 'error' };
  let input: PolicyInput;
  try {
    input = buildPolicyInput(attributes);
  } catch (error) {
    const message = error instanceof MalformedRequest ? error.message : 'the request could not be read';
    return { decision: controlPlaneDenial(400, -32600, `invalid request: ${message}`), outcome: 'deny' };
  }
  try {
    const result = engine.evaluate(DECISION_ENTRYPOINT, input);
    if (!isDecision(result)) throw new Error(`the decision is ${result === undefined ? 'undefined' : 'not an object with a boolean "allowed"'}`);
    return { input, decision: result, outcome: result.allowed ? 'allow' : 'deny' };
  } catch (error) {
    logger.log('error', 'policy evaluation failed; request denied', { error: error instanceof Error ? error.message : String(error) });
    return { input, decision: controlPlaneDenial(500, -32603, 'internal error: the policy could not be evaluated', input.mcp.id), outcome: 'error' };
  }
}

/** The attributes of a CheckRequest read from its bytes, or why they cannot be read. */
export function readCheckRequest(bytes: Uint8Array, registry: Registry): { attributes: Record<string, unknown> } | { unreadable: string } {
  let attributes: unknown;
  try {
    attributes = jsonFromBinary(schemas.checkRequest(), bytes, registry).attributes;
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
  // Envoy always sends attributes; a request without them has nothing the policy could judge.
  return isObject(attributes) ? { attributes } : { unreadable: 'the CheckRequest has no attributes' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A CheckRequest that cannot be read is denied before any policy runs: evaluating it as `{}` could allow what it hides. */
function unreadableRequest(reason: string, logger: Logger): Decided {
  logger.log('error', 'cannot read CheckRequest; request denied', { error: reason });
  return { decision: controlPlaneDenial(500, -32603, 'internal error: the authorization request could not be read'), outcome: 'error' };
}

export function authzImplementation(deps: AuthzDependencies): UntypedServiceImplementation {
  const registry = envoyRegistry();
  return {
    Check: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
      void check(call, callback);
    },
  };

  async function check(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): Promise<void> {
    const peer = deps.peers?.authenticate(call);
    if (peer?.kind === 'refused') {
      deps.logger.log('warn', 'ext_authz Check refused', { reason: peer.reason });
      callback(permissionDenied(`Gatehouse answers only authenticated Envoys: ${peer.reason}`));
      return;
    }
    const started = process.hrtime.bigint();
    const request = readCheckRequest(call.request, registry);
    const callerToken = 'unreadable' in request ? undefined : takeCallerToken(request.attributes);
    const decided = 'unreadable' in request ? unreadableRequest(request.unreadable, deps.logger) : decide(deps.engine(), request.attributes, deps.logger);
    const { input } = decided;
    let { outcome } = decided;
    let decision: Decision;
    try {
      decision = deps.annotate ? await deps.annotate(input, decided.decision, callerToken) : decided.decision;
    } catch (error) {
      deps.logger.log('error', 'cannot complete the decision; request denied', { error: error instanceof Error ? error.message : String(error) });
      decision = controlPlaneDenial(500, -32603, 'internal error: the decision could not be completed', input?.mcp.id);
      outcome = 'error';
    }
    // The annotation step may refuse what the policy allowed (another caller's session id).
    if (outcome === 'allow' && !decision.allowed) outcome = 'deny';
    let response: Buffer;
    try {
      response = encodeCheckResponse(decision, registry);
    } catch (error) {
      // A decision Envoy cannot be sent (the policy returned a body that is not a string, say) denies.
      deps.logger.log('error', 'cannot encode the decision; request denied', { error: error instanceof Error ? error.message : String(error) });
      decision = controlPlaneDenial(500, -32603, 'internal error: the decision could not be sent to the gateway', input?.mcp.id);
      outcome = 'error';
      response = encodeCheckResponse(decision, registry);
    }
    deps.metrics.decisions.inc({ outcome, virtual_server: input?.mcp.virtual_server ?? '' });
    deps.onDecision?.(input, decision);
    deps.metrics.decisionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    callback(null, response);
  }
}
