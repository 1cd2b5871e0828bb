// The policy-repository workflow's publish step (init-template), run by bash with a stand-in `aws`
// and `gcloud` that record their uploads: every file the manifest pins goes first, then the
// signature, then the manifest, each marked no-cache, so a polling control plane never sees a
// manifest before its files. A target that is neither s3:// nor gs:// fails the step.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../toolchain/src/tools.ts';
import { tempDir } from '../../testkit/repo.ts';

interface Step {
  name?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
}

const workflow = parse(readFileSync(join(PROJECT_ROOT, 'init-template', 'dot-github', 'workflows', 'gatehouse.yml'), 'utf8')) as {
  jobs: { publish: { permissions: Record<string, string>; steps: Step[] } };
};
const publish = workflow.jobs.publish;
const step = publish.steps.find((s) => s.name === 'Publish to the artifact host')!;
const work = tempDir('gatehouse-publish-step-');
afterAll(() => work.remove());

function runStep(target: string, signed: boolean): { code: number | null; uploads: string[]; output: string } {
  const dir = join(work.path, `${target.slice(0, 2)}-${signed}`);
  const bin = join(dir, 'bin');
  mkdirSync(join(dir, 'dist', 'policy'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'xds'), { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const file of ['policy/bundle.tar.gz', 'xds/default.json', 'audit-catalog.json']) writeFileSync(join(dir, 'dist', file), file);
  writeFileSync(join(dir, 'dist', 'manifest.json'), JSON.stringify({ version: 'v123' }));
  if (signed) writeFileSync(join(dir, 'dist', 'manifest.sig'), 'sig');
  const log = join(dir, 'uploads.log');
  for (const tool of ['aws', 'gcloud']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const result = spawnSync('bash', ['-e', '-c', step.run!], {
    cwd: dir,
    env: { PATH: `${bin}:${process.env.PATH ?? ''}`, TARGET: target },
    encoding: 'utf8',
    timeout: 20_000,
  });
  let uploads: string[];
  try {
    uploads = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    uploads = [];
  }
  return { code: result.status, uploads, output: result.stdout + result.stderr };
}

describe('the publish step of the policy-repository workflow', () => {
  it('runs only when a target is configured, with the OIDC token and the target through env', () => {
    expect(step.if).toBe("vars.GATEHOUSE_ARTIFACTS_TARGET != ''");
    expect(step.env).toEqual({ TARGET: '${{ vars.GATEHOUSE_ARTIFACTS_TARGET }}' });
    expect(step.run).not.toContain('${{');
    expect(publish.permissions['id-token']).toBe('write');
  });

  it('uploads to S3 every pinned file first, then the signature, then the manifest, all no-cache', () => {
    const { code, uploads, output } = runStep('s3://bucket/gatehouse/main/', true);
    expect(code, output).toBe(0);
    const paths = uploads.map((line) => line.split(' ')[4]);
    expect(paths).toEqual([
      's3://bucket/gatehouse/main/audit-catalog.json',
      's3://bucket/gatehouse/main/policy/bundle.tar.gz',
      's3://bucket/gatehouse/main/xds/default.json',
      's3://bucket/gatehouse/main/manifest.sig',
      's3://bucket/gatehouse/main/manifest.json',
    ]);
    for (const line of uploads) expect(line).toMatch(/^aws s3 cp dist\/\S+ \S+ --cache-control no-cache/);
    expect(output).toContain('published v123 to s3://bucket/gatehouse/main');
  });

  it('uploads to GCS the same way, without a signature when the set is unsigned', () => {
    const { code, uploads, output } = runStep('gs://bucket/sets', false);
    expect(code, output).toBe(0);
    expect(uploads.map((line) => line.split(' ')[4])).toEqual([
      'gs://bucket/sets/audit-catalog.json',
      'gs://bucket/sets/policy/bundle.tar.gz',
      'gs://bucket/sets/xds/default.json',
      'gs://bucket/sets/manifest.json',
    ]);
    for (const line of uploads) expect(line).toContain('--cache-control=no-cache');
  });

  it('fails on a target it cannot upload to, before uploading anything', () => {
    const { code, uploads, output } = runStep('https://example.com/sets', true);
    expect(code).not.toBe(0);
    expect(uploads).toEqual([]);
    expect(output).toContain('must start with s3:// or gs://');
  });
});
