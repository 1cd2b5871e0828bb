// The demo's recompiles run in a child `gatehouse compile`, not in the process that serves.
//
// `gatehouse up` hosts the control plane, whose ext_authz answers Envoy within 250 ms. Compiling holds the event loop for
// several hundred milliseconds at a time (schema validation, the OpenAPI loader, the xDS check), so an in-process recompile
// made calls in flight fail closed with `ext_authz_error` while the demo reloaded. A child process keeps the two apart.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostics } from '../../compiler/src/diagnostics/format.ts';
import type { Diagnostic } from '../../compiler/src/diagnostics/diagnostic.ts';
import { MANIFEST_FILE } from '../../artifacts/src/layout.ts';
import type { Manifest } from '../../artifacts/src/manifest.ts';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';

export interface RecompileResult {
  readonly ok: boolean;
  readonly version?: string;
  /** The diagnostics as text; on an unexpected failure, what the compiler printed. */
  readonly report: string;
}

/** Compiles `root` into `out` with `gatehouse compile` in a child process; `out` is left as it was on errors. */
export function compileInChildProcess(root: string, out: string): Promise<RecompileResult> {
  const args = [join(PROJECT_ROOT, 'bin', 'gatehouse.mjs'), 'compile', '--root', root, '--out', out, '--revision', 'local', '--format', 'json'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const printed = Buffer.concat(stdout).toString('utf8');
      const diagnostics = parseDiagnostics(printed);
      if (!diagnostics) {
        resolve({ ok: false, report: `gatehouse compile exited with ${String(code)}:\n${Buffer.concat(stderr).toString('utf8')}` });
        return;
      }
      const report = formatDiagnostics(diagnostics, 'text');
      if (code !== 0) {
        resolve({ ok: false, report });
        return;
      }
      const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as Manifest;
      resolve({ ok: true, version: manifest.version, report });
    });
  });
}

function parseDiagnostics(printed: string): Diagnostic[] | undefined {
  try {
    const parsed = JSON.parse(printed) as { diagnostics?: Diagnostic[] };
    return Array.isArray(parsed.diagnostics) ? parsed.diagnostics : undefined;
  } catch {
    return undefined;
  }
}
