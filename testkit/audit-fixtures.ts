// Audit records and log folders for the observability tests.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { auditKeyOf, defaultAuditCompanions, formatAuditKey, type AuditKey } from '../artifacts/src/audit/audit-key.ts';
import type { AuditLine, AuditRequest, ChainFields } from '../artifacts/src/audit/audit-line.ts';
import { readAnchorFile, readAuditKey, readAuditStreams } from '../audit/src/read-audit.ts';
import { verifyStream, type StreamReport, type VerifyOptions } from '../audit/src/verify.ts';
import { AuditStreamWriter, type StreamSettings } from '../xds-server/src/audit/audit-writer.ts';

/** A tool call record; `i` makes it unique (request id, time). */
export function callRecord(i: number, overrides: Partial<AuditRequest> = {}): AuditRequest {
  return {
    type: 'request',
    time: new Date(Date.UTC(2026, 10, 1, 9, 0, i)).toISOString(),
    request_id: `req-${String(i).padStart(4, '0')}`,
    trace_id: null,
    gateway: 'edge',
    node: 'envoy-1',
    subject: { sub: 'sam', email: 'sam@example.com' },
    team: 'support',
    teams: ['support'],
    virtual_server: 'helpdesk',
    server: 'tickets',
    tool: 'get_ticket',
    public_tool: 'tickets__get_ticket',
    method: 'tools/call',
    jsonrpc_id: i,
    arguments: { digest: `sha256:${'ab'.repeat(32)}`, mode: 'digest' },
    http: { method: 'POST', path: '/mcp/helpdesk', status: 200, details: 'via_upstream' },
    jsonrpc_error: null,
    latency_ms: 4.5,
    bytes: { received: 300, sent: 200 },
    decision: 'allow',
    reasons: ['allowed by grant support-helpdesk'],
    cost: 0.0002,
    cost_center: 'CC-2200',
    policy_version: 'v1',
    ...overrides,
  };
}

export const SETTINGS: StreamSettings = {
  rotateBytes: 64 * 1024 * 1024,
  rotateAgeMs: 86_400_000,
  checkpointRecords: 1000,
  checkpointIntervalMs: 60_000,
};

/** The audit key of the tests (never a real one). */
export const TEST_KEY: AuditKey = auditKeyOf(Buffer.alloc(32, 0x5a));

/** The key and anchor folder of a test writer on the audit folder `dir` (anchors beside it, as by default). */
export function sealing(dir: string): { key: AuditKey; anchorDir: string } {
  return { key: TEST_KEY, anchorDir: defaultAuditCompanions(dir).anchorDir };
}

/** Writes the test key where `gatehouse audit verify DIR` looks for it by default; returns the path. */
export function writeKeyFile(dir: string, key: AuditKey = TEST_KEY): string {
  const { keyFile } = defaultAuditCompanions(dir);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, formatAuditKey(key), { mode: 0o600 });
  return keyFile;
}

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 1, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Writes `count` records in batches of `batch` through the real writer, then closes it. */
export async function writeLog(dir: string, count: number, settings: Partial<StreamSettings> = {}, batch = 5, now?: () => number): Promise<void> {
  const writer = await AuditStreamWriter.open({ dir, stream: 'edge', ...sealing(dir), settings: { ...SETTINGS, ...settings }, ...(now ? { now } : {}) });
  for (let i = 0; i < count; i += batch) {
    await writer.append(Array.from({ length: Math.min(batch, count - i) }, (_, j) => callRecord(i + j)));
  }
  await writer.close();
}

/**
 * Verifies the one stream of an audit folder with the key and the anchors beside the folder (the
 * test key when no key file is there, as for logs written by `writeLog`), unless `options` say otherwise.
 */
export function verifyDir(dir: string, options: VerifyOptions = {}): StreamReport {
  const [stream, ...others] = readAuditStreams(dir);
  if (!stream || others.length > 0) throw new Error(`expected one stream in ${dir}`);
  const { keyFile, anchorDir } = defaultAuditCompanions(dir);
  const found = readAuditKey(keyFile);
  const key = found && !('error' in found) ? found : TEST_KEY;
  return verifyStream(stream.stream, stream.files, { key, anchors: readAnchorFile(anchorDir, stream.stream), ...options });
}

export function files(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
}

export function lines(dir: string, file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l !== '');
}

/** Every request record in a log folder, in file order. */
export function requestRecords(dir: string): AuditRequest[] {
  return files(dir)
    .flatMap((f) => lines(dir, f))
    .map((l) => JSON.parse(l) as AuditLine)
    .filter((r): r is AuditRequest & ChainFields => r.type === 'request');
}
