// Audit records and log folders for the observability tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLine, AuditRequest, ChainFields } from '../artifacts/src/audit/audit-line.ts';
import { readAuditStreams } from '../audit/src/read-audit.ts';
import { verifyStream, type StreamReport } from '../audit/src/verify.ts';
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

/** A clock the test moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 1, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Writes `count` records in batches of `batch` through the real writer, then closes it. */
export async function writeLog(dir: string, count: number, settings: Partial<StreamSettings> = {}, batch = 5, now?: () => number): Promise<void> {
  const writer = await AuditStreamWriter.open({ dir, stream: 'edge', settings: { ...SETTINGS, ...settings }, ...(now ? { now } : {}) });
  for (let i = 0; i < count; i += batch) {
    await writer.append(Array.from({ length: Math.min(batch, count - i) }, (_, j) => callRecord(i + j)));
  }
  await writer.close();
}

export function verifyDir(dir: string, options: { expectHead?: string } = {}): StreamReport {
  const [stream, ...others] = readAuditStreams(dir);
  if (!stream || others.length > 0) throw new Error(`expected one stream in ${dir}`);
  return verifyStream(stream.stream, stream.files, options);
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
