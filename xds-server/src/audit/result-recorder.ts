// The audit side of an ext_proc stream that sees a tools/call's response body (guardrails, the
// aggregated-call rewriter, or the result recorder): it collects the body as it passes, unchanged,
// and as soon as the call's response is in it (an event stream's result event, which clients act
// on and may disconnect after, before the body's end reaches Envoy) gives the dynamic metadata
// (RESULTS_METADATA_NAMESPACE) that Envoy copies into the
// request's access-log entry, and so into its audit record (access-log-record.ts): how the call
// ended and what the tool's `audit.results` keeps of the result. Collection stops at a bound: a
// body beyond it is not held in memory, and its record has no outcome.
import { RESULTS_METADATA_NAMESPACE } from '../../../artifacts/src/metadata-names.ts';
import { MAX_COLLECTED_BYTES, type ResultRetention } from '../../../artifacts/src/audit/result-retention.ts';
import type { JsonRpcId } from '../response-rewrite/json-rpc-body.ts';
import { auditResult } from './audit-result.ts';
import { callEndOf } from './call-outcome.ts';

export class ResultRecorder {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private overflow = false;
  private given = false;

  /** `retention` is what the audit keeps of the called tool's result (its route says); undefined: nothing, the outcome only. */
  constructor(
    private readonly id: JsonRpcId,
    private readonly retention: ResultRetention | undefined,
    private readonly maxBytes = MAX_COLLECTED_BYTES,
  ) {}

  /** Takes one chunk of the response body as Envoy sent it. */
  push(chunk: Buffer): void {
    if (this.overflow) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.overflow = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(chunk);
  }

  /**
   * The dynamic metadata, the first time the body collected so far holds the response to the call; empty before that, after it
   * was given once, and when the body held no response (or was too large to read).
   */
  takeMetadata(): Record<string, unknown> {
    const fields = this.takeFields();
    return fields ? { dynamicMetadata: { [RESULTS_METADATA_NAMESPACE]: fields } } : {};
  }

  /** The fields of takeMetadata(), under the same rule. */
  takeFields(): Record<string, unknown> | undefined {
    if (this.given) return undefined;
    const fields = this.fields();
    if (fields) this.given = true;
    return fields;
  }

  /** The RESULTS_METADATA_NAMESPACE fields (`outcome`, `error`, `result`) of the body collected so far; undefined without a response in it. */
  private fields(): Record<string, unknown> | undefined {
    if (this.overflow) return undefined;
    const end = callEndOf(Buffer.concat(this.chunks).toString('utf8'), this.id);
    if (!end) return undefined;
    const kept = end.result !== undefined && this.retention ? auditResult(end.result, this.retention) : undefined;
    return { outcome: end.outcome, ...(end.error ? { error: end.error } : {}), ...(kept ? { result: kept } : {}) };
  }
}
