// A simulated disk for the audit writer (xds-server/src/audit/file-io.ts) that can lose power. It
// keeps, per file, what the running system sees and what has reached the platter: bytes appended
// become durable only when fdatasync returns, and a created or removed name only when its folder
// is fsync'ed. At a power cut everything else is gone (or, with `keepUnsynced`, part of a file's
// unsynced tail landed: a torn write), and every operation of the machine that lost power never
// returns. `io()` then gives the file operations of the machine booted again.
import { dirname } from 'node:path';
import type { AuditFileText } from '../../audit/src/verify.ts';
import type { AppendFile, AuditFileIo } from '../../xds-server/src/audit/file-io.ts';

export interface PowerCutOptions {
  /** Cut the power just before the n-th operation (1-based) of the first boot; unset: only `cutPower()` cuts it. */
  readonly cutBefore?: number;
  /** The share (0–1) of each file's unsynced appended bytes that reaches the disk anyway at the cut. */
  readonly keepUnsynced?: number;
  /** fdatasync returns at once and saves nothing: what a writer that skips the sync would get. */
  readonly syncDoesNothing?: boolean;
}

interface Inode {
  data: Buffer;
  synced: Buffer;
  modifiedMs: number;
}

export class PowerCutDisk {
  /** Names as the running system sees them. */
  private names = new Map<string, Inode>();
  /** Names that survive a power cut. */
  private syncedNames = new Map<string, Inode>();
  private boot = 0;
  private firstBootOperations = 0;
  private powerLost: () => void = () => undefined;
  /** What each removed file held when it was removed, by name. */
  readonly removed = new Map<string, string>();
  /** Resolves when the power goes (the first time). */
  readonly cut = new Promise<void>((resolve) => (this.powerLost = resolve));

  constructor(private readonly options: PowerCutOptions = {}) {}

  /** Operations the first boot made (all of them, if the power never went during it). */
  get operations(): number {
    return this.firstBootOperations;
  }

  get isCut(): boolean {
    return this.boot > 0;
  }

  /** Cuts the power now: unsynced bytes and names are lost; the running machine's operations never return. */
  cutPower(): void {
    const keep = this.options.keepUnsynced ?? 0;
    for (const inode of new Set(this.syncedNames.values())) {
      const unsynced = inode.data.length > inode.synced.length ? inode.data.subarray(inode.synced.length) : Buffer.alloc(0);
      inode.data = Buffer.concat([inode.synced, unsynced.subarray(0, Math.floor(unsynced.length * keep))]);
      inode.synced = Buffer.from(inode.data);
    }
    this.names = new Map(this.syncedNames);
    if (this.boot === 0) this.powerLost();
    this.boot += 1;
  }

  /** The files of a folder after the machine has come back (as `gatehouse audit verify` reads them), oldest first. */
  files(dir: string): AuditFileText[] {
    return [...this.names]
      .filter(([path]) => dirname(path) === dir)
      .map(([path, inode]) => ({ name: path.slice(dir.length + 1), text: inode.data.toString('utf8') }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** The file operations of the machine as it runs now. */
  io(): AuditFileIo {
    const boot = this.boot;
    const run = <T>(operation: () => T): Promise<T> => this.run(boot, operation);
    return {
      mkdir: () => run(() => undefined),
      list: (dir) => run(() => [...this.names.keys()].filter((p) => dirname(p) === dir).map((p) => p.slice(dir.length + 1))),
      read: (path) => run(() => Buffer.from(this.inode(path).data)),
      modifiedMs: (path) => run(() => this.inode(path).modifiedMs),
      openAppend: (path) => run(() => this.appendFile(boot, path)),
      truncate: (path, length) =>
        run(() => {
          const inode = this.inode(path);
          inode.data = inode.data.subarray(0, length);
          inode.synced = this.options.syncDoesNothing ? inode.synced.subarray(0, Math.min(length, inode.synced.length)) : Buffer.from(inode.data);
        }),
      remove: (path) =>
        run(() => {
          this.removed.set(path.slice(dirname(path).length + 1), this.inode(path).data.toString('utf8'));
          this.names.delete(path);
        }),
      syncDir: (dir) =>
        run(() => {
          for (const path of [...this.syncedNames.keys()]) if (dirname(path) === dir && !this.names.has(path)) this.syncedNames.delete(path);
          for (const [path, inode] of this.names) if (dirname(path) === dir) this.syncedNames.set(path, inode);
        }),
    };
  }

  private appendFile(boot: number, path: string): AppendFile {
    let inode = this.names.get(path);
    if (!inode) {
      inode = { data: Buffer.alloc(0), synced: Buffer.alloc(0), modifiedMs: Date.now() };
      this.names.set(path, inode);
    }
    const file = inode;
    return {
      append: (bytes) =>
        this.run(boot, () => {
          file.data = Buffer.concat([file.data, bytes]);
          file.modifiedMs = Date.now();
        }),
      datasync: () =>
        this.run(boot, () => {
          if (!this.options.syncDoesNothing) file.synced = Buffer.from(file.data);
        }),
      close: () => this.run(boot, () => undefined),
    };
  }

  private inode(path: string): Inode {
    const inode = this.names.get(path);
    if (!inode) throw Object.assign(new Error(`ENOENT: no such file, ${path}`), { code: 'ENOENT' });
    return inode;
  }

  /** Runs one operation of the machine booted `boot`-th, unless that machine has lost its power. */
  private run<T>(boot: number, operation: () => T): Promise<T> {
    if (boot !== this.boot) return new Promise<T>(() => undefined);
    if (boot === 0) {
      this.firstBootOperations += 1;
      if (this.firstBootOperations === this.options.cutBefore) {
        this.cutPower();
        return new Promise<T>(() => undefined);
      }
    }
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
