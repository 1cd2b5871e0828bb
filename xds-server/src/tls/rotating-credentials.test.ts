// The control plane's TLS files: what makes a usable set, and a rotation caught halfway.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../log.ts';
import { createDevCa, type DevCa } from './dev-ca.ts';
import { RotatingServerCredentials } from './rotating-credentials.ts';
import { readTlsMaterial, TlsFileError } from './tls-files.ts';

const TRUST_DOMAIN = 'gatehouse.test';
let dir: string;
let ca: DevCa;
const files = () => ({ caFile: join(dir, 'ca.pem'), certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-files-'));
  ca = await createDevCa(TRUST_DOMAIN);
  writeFileSync(files().caFile, ca.cert);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the control plane\'s TLS files', () => {
  it('must be a certificate naming the control plane, with its own key', async () => {
    const node = await ca.issueNode('default', 'n1');
    writeFileSync(files().certFile, node.cert);
    writeFileSync(files().keyFile, node.key);
    expect(() => readTlsMaterial(files(), TRUST_DOMAIN)).toThrow(/does not name the control plane/);
    const cp = await ca.issueControlPlane();
    writeFileSync(files().certFile, cp.cert);
    expect(() => readTlsMaterial(files(), TRUST_DOMAIN)).toThrow(/is not the key of/);
    writeFileSync(files().keyFile, cp.key);
    expect(readTlsMaterial(files(), TRUST_DOMAIN).serial).toMatch(/^[0-9A-F]+$/i);
    expect(() => readTlsMaterial(files(), 'elsewhere.test')).toThrow(TlsFileError);
    expect(() => readTlsMaterial({ ...files(), caFile: join(dir, 'missing.pem') }, TRUST_DOMAIN)).toThrow(/cannot read the CA bundle .*ENOENT/);
  });

  it('keeps the previous set while a rotation is halfway, and takes the new one when it is complete', async () => {
    const first = await ca.issueControlPlane();
    writeFileSync(files().certFile, first.cert);
    writeFileSync(files().keyFile, first.key);
    const logger = memoryLogger();
    const credentials = new RotatingServerCredentials({ ...files(), trustDomain: TRUST_DOMAIN }, logger);
    const before = credentials.material.serial;
    expect(credentials.reload()).toBe(false); // nothing changed
    const next = await ca.issueControlPlane();
    writeFileSync(files().keyFile, next.key); // the key is new, the certificate not yet
    expect(credentials.reload()).toBe(false);
    expect(credentials.material.serial).toBe(before);
    expect(logger.lines.filter((l) => l.includes('TLS files not reloaded'))).toHaveLength(1);
    expect(credentials.reload()).toBe(false);
    expect(logger.lines.filter((l) => l.includes('TLS files not reloaded'))).toHaveLength(1); // said once
    writeFileSync(files().certFile, next.cert);
    expect(credentials.reload()).toBe(true);
    expect(credentials.material.serial).not.toBe(before);
    expect(logger.lines.some((l) => l.includes('TLS files reloaded'))).toBe(true);
  });
});
