// [impure] gRPC server credentials that require a client certificate from the trusted CA and take
// rotated files without a restart: the files are re-read on an interval and a new, fully checked
// set replaces the TLS context of both servers (new handshakes use it; open connections go on).
// A half-written or mismatched set is logged and skipped: the previous one stays in force.
import { ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from '../log.ts';
import { checkTlsMaterial, readTlsBytes, readTlsMaterial, TlsFileError, type ServerTlsOptions, type TlsMaterial } from './tls-files.ts';

export class RotatingServerCredentials extends ServerCredentials {
  private current: TlsMaterial;
  private timer?: NodeJS.Timeout;
  private lastProblem?: string;

  /** Throws TlsFileError when the files do not make a usable identity. */
  constructor(
    private readonly options: ServerTlsOptions,
    private readonly logger: Logger,
  ) {
    const material = readTlsMaterial(options, options.trustDomain);
    // requestCert + rejectUnauthorized: the handshake fails without a certificate from the CA.
    super({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, contextOf(material));
    this.current = material;
  }

  get material(): TlsMaterial {
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.reload(), this.options.reloadIntervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    delete this.timer;
  }

  /** Re-reads the files; returns whether a new set took effect. */
  reload(): boolean {
    let material: TlsMaterial;
    try {
      // Every second: read and hash only; parse and check only what changed.
      const bytes = readTlsBytes(this.options);
      if (bytes.digest === this.current.digest) {
        delete this.lastProblem;
        return false;
      }
      material = checkTlsMaterial(bytes, this.options, this.options.trustDomain);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof TlsFileError)) throw error;
      // Logged once per distinct problem: a rotation caught between two renames heals on the next read.
      if (message !== this.lastProblem) this.logger.log('warn', 'TLS files not reloaded (mid-rotation, or invalid); previous ones stay', { error: message });
      this.lastProblem = message;
      return false;
    }
    delete this.lastProblem;
    this.current = material;
    this.updateSecureContextOptions(contextOf(material));
    this.logger.log('info', 'TLS files reloaded', { serial: material.serial, not_after: material.notAfter });
    return true;
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

function contextOf(material: TlsMaterial) {
  return { ca: material.ca, cert: material.cert, key: material.key };
}
