// [impure] The audit writer's file operations on the real file system (node:fs).
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import type { AppendFile, AuditFileIo } from './file-io.ts';

export const nodeFileIo: AuditFileIo = {
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true, mode: 0o700 }); // audit records hold request data: owner only
  },
  list: (dir) => readdir(dir),
  read: (path) => readFile(path),
  modifiedMs: async (path) => (await stat(path)).mtimeMs,
  openAppend: async (path): Promise<AppendFile> => {
    const handle = await open(path, 'a', 0o600);
    return {
      append: async (bytes) => {
        await handle.write(bytes);
      },
      datasync: () => handle.datasync(),
      close: () => handle.close(),
    };
  },
  truncate: async (path, length) => {
    const handle = await open(path, 'r+');
    try {
      await handle.truncate(length);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  },
  remove: (path) => unlink(path),
  syncDir: async (dir) => {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
