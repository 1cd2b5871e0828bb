// Why an artifact set was refused: the message for logs and /status, and a short reason for the
// `gatehouse_artifacts_rejected_total{reason}` metric.
import type { SignatureFailure } from '../../../artifacts/src/signature.ts';

export type RejectionReason = SignatureFailure | 'hash-mismatch' | 'invalid';

export class ArtifactError extends Error {
  constructor(
    message: string,
    readonly reason: RejectionReason = 'invalid',
  ) {
    super(message);
  }
}
