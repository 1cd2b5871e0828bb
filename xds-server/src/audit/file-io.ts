// The file operations the audit writer makes, as an interface, so a test can put the writer on a
// disk that loses power (test/observability/power-cut-disk.ts) and see what an fdatasync saved.
// node-file-io.ts is the real one.

/** A file opened for appending (O_APPEND). */
export interface AppendFile {
  append(bytes: Uint8Array): Promise<void>;
  /** fdatasync(2): until it returns, appended bytes may be lost to a power cut. */
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export interface AuditFileIo {
  /** Creates the folder (and its parents) when missing. */
  mkdir(dir: string): Promise<void>;
  /** Names of the entries of a folder. */
  list(dir: string): Promise<string[]>;
  read(path: string): Promise<Uint8Array>;
  modifiedMs(path: string): Promise<number>;
  /** Opens a file for appending, creating it when missing (its name is durable only after `syncDir`). */
  openAppend(path: string): Promise<AppendFile>;
  /** Cuts a file to `length` bytes, durably (truncate + fdatasync). */
  truncate(path: string, length: number): Promise<void>;
  remove(path: string): Promise<void>;
  /** fsync(2) of a folder: names created or removed in it survive a power cut once this returns. */
  syncDir(dir: string): Promise<void>;
}
