// Calls per second per subject, enforced by Envoy's local_ratelimit filter: one wildcard descriptor
// per virtual server (virtual server, issuer, subject), so Envoy keeps a token bucket per caller it
// sees (an LRU of max_dynamic_descriptors). Each route of a virtual server names its virtual server
// and reads the caller from jwt_authn's verified payload (routes: subjectRateLimits). A request
// without verified claims produces no descriptor and is not counted here (jwt_authn refused it
// already). Over the limit: 429, `Retry-After`, and a JSON-RPC error (rateLimitedReply).
import { effectiveLimits } from '../../ir/subject-limits.ts';
import type { IrGateway, IrVirtualServer } from '../../ir/types.ts';
import { anyOf, type Json } from '../../../../artifacts/src/envoy-json.ts';
import { JWT_METADATA_NAMESPACE, JWT_PAYLOAD_KEY, MCP_METADATA_NAMESPACE } from '../../../../artifacts/src/metadata-names.ts';
import { LIMITED_CODE } from '../../../../artifacts/src/subject-limits.ts';
import { TYPE } from '../../../../artifacts/src/type-urls.ts';
import type { HttpFilter } from './http-filters.ts';

type RateLimitJson = Json<'envoy.config.route.v3.RateLimit'>;
type ResponseMapperJson = Json<'envoy.extensions.filters.network.http_connection_manager.v3.ResponseMapper'>;

export const SUBJECT_RATE_LIMIT_FILTER = 'envoy.filters.http.local_ratelimit';
/** Callers whose buckets each virtual server keeps (least recently seen dropped first: a new bucket starts full). */
const MAX_CALLERS = 65536;

const ALL: Json<'envoy.config.core.v3.RuntimeFractionalPercent'> = { default_value: { numerator: 100, denominator: 'HUNDRED' } };

export function subjectRateLimitFilter(gateway: IrGateway, virtualServers: readonly IrVirtualServer[]): HttpFilter {
  return {
    name: SUBJECT_RATE_LIMIT_FILTER,
    typed_config: anyOf(TYPE.localRateLimit, {
      stat_prefix: 'gatehouse_subject_limits',
      filter_enabled: { ...ALL, runtime_key: 'gatehouse.subject_limits.enabled' },
      filter_enforced: { ...ALL, runtime_key: 'gatehouse.subject_limits.enforced' },
      descriptors: virtualServers.map((vs) => {
        const limits = effectiveLimits(gateway, vs);
        return {
          entries: [{ key: 'virtual_server', value: vs.name }, { key: 'issuer', value: '' }, { key: 'subject', value: '' }],
          token_bucket: { max_tokens: limits.burst, tokens_per_fill: limits.callsPerSecond, fill_interval: '1s' },
        };
      }),
      max_dynamic_descriptors: MAX_CALLERS,
      enable_retry_after_header: true,
    }),
  };
}

/** The route's descriptor: its virtual server and the verified caller (issuer and subject). */
export function subjectRateLimits(virtualServer: string): RateLimitJson[] {
  const claim = (descriptor_key: string, claimName: string): Json<'envoy.config.route.v3.RateLimit.Action'> => ({
    metadata: { descriptor_key, metadata_key: { key: JWT_METADATA_NAMESPACE, path: [{ key: JWT_PAYLOAD_KEY }, { key: claimName }] }, source: 'DYNAMIC' },
  });
  const virtualServerKey = { generic_key: { descriptor_key: 'virtual_server', descriptor_value: virtualServer } };
  return [{ actions: [virtualServerKey, claim('issuer', 'iss'), claim('subject', 'sub')] }];
}

/**
 * The local reply of a rate-limited request: a JSON-RPC error with the request's id. `matching`
 * must select it (local_ratelimit sets its response flag only after the reply is mapped): a 429 that
 * ext_authz did not decide, since the filter runs before ext_authz and the session and stream
 * refusals after it (those carry their own JSON-RPC body).
 */
export function rateLimitedReply(matching: Json<'envoy.config.accesslog.v3.AccessLogFilter'>): ResponseMapperJson {
  return {
    filter: matching,
    body_format_override: {
      json_format: {
        jsonrpc: '2.0',
        id: `%DYNAMIC_METADATA(${MCP_METADATA_NAMESPACE}:id)%`,
        error: {
          code: LIMITED_CODE,
          message: 'too many requests: this caller is over its calls-per-second limit on this virtual server; retry after Retry-After seconds',
          data: { limit: 'calls-per-second' },
        },
      },
      content_type: 'application/json',
    },
  };
}
