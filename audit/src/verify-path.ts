// [impure] Verifies the audit log at a path (one file, or a folder of streams) with the audit key
// and each stream's anchor file, by default both beside the audit folder (where the control plane
// puts them unless told otherwise): `audit.key` and `audit-anchors/`.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultAuditCompanions } from '../../artifacts/src/audit/audit-key.ts';
import { readAnchorFile, readAuditKey, readAuditStreams, type AuditStreamFiles } from './read-audit.ts';
import { verifyStream, type StreamReport } from './verify.ts';

export interface PathVerifyOptions {
  readonly keyFile?: string;
  readonly anchorDir?: string;
  readonly legacy?: boolean;
  readonly expectHead?: string;
}

export type PathVerification =
  | { readonly streams: readonly AuditStreamFiles[]; readonly reports: readonly StreamReport[] }
  /** The key file named does not exist, or holds no key. */
  | { readonly error: string };

export function verifyAuditPath(path: string, options: PathVerifyOptions = {}): PathVerification {
  const companions = defaultAuditCompanions(statSync(path).isDirectory() ? path : dirname(path));
  const keyFile = options.keyFile ?? companions.keyFile;
  const key = readAuditKey(keyFile);
  if (options.keyFile && !key) return { error: `${options.keyFile} does not exist` };
  if (key && 'error' in key) return { error: `${keyFile}: ${key.error}` };
  const streams = readAuditStreams(path);
  const reports = streams.map((s) =>
    verifyStream(s.stream, s.files, {
      standalone: s.standalone,
      anchors: readAnchorFile(options.anchorDir ?? companions.anchorDir, s.stream),
      ...(key ? { key } : {}),
      ...(options.legacy ? { legacy: true } : {}),
      ...(options.expectHead ? { expectHead: options.expectHead } : {}),
    }),
  );
  return { streams, reports };
}
