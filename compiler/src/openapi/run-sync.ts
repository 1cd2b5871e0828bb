// Runs the asynchronous parts of reading OpenAPI documents (fetching a URL, and
// @apidevtools/swagger-parser, which only has a Promise API) from the synchronous registry stages: a
// worker thread does them while this thread waits on a shared flag (Atomics.wait), then takes the
// results from the worker's port. The registry pipeline stays synchronous for lint, access and check.
// The worker is plain JavaScript evaluated from a string, so it runs alike from sources (tsx, vitest)
// and from the compiled package. This thread answers nothing while it waits: a document server in the
// same process (a test's) must run in another process.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export type WorkerTask =
  | { readonly kind: 'fetch'; readonly url: string; readonly maxBytes: number; readonly timeoutMs: number }
  | { readonly kind: 'parse'; readonly document: unknown };

export type WorkerResult =
  | { readonly ok: true; readonly text?: string; readonly sha256?: string; readonly api?: unknown }
  | { readonly ok: false; readonly error: string };

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { port, signal, parserPath, tasks } = workerData;
const SwaggerParser = require(parserPath);
async function fetchDocument(task) {
  const response = await fetch(task.url, { redirect: 'error', signal: AbortSignal.timeout(task.timeoutMs) });
  if (!response.ok || !response.body) return { ok: false, error: 'HTTP status ' + response.status };
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > task.maxBytes) return { ok: false, error: 'the document is over the ' + task.maxBytes + '-byte limit' };
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  return { ok: true, text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
async function run(task) {
  try {
    if (task.kind === 'fetch') return await fetchDocument(task);
    const api = await SwaggerParser.validate(task.document, { resolve: { external: false }, dereference: { circular: false } });
    return { ok: true, api };
  } catch (error) {
    const cause = error && error.cause ? ' (' + (error.cause.message || error.cause) + ')' : '';
    return { ok: false, error: String((error && error.message) || error) + cause };
  }
}
Promise.all(tasks.map(run)).then((results) => {
  port.postMessage(results);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

/** [impure: network for fetch tasks] Runs the tasks in a worker and waits for all of them, at most timeoutMs. */
export function runTasksSync(tasks: readonly WorkerTask[], timeoutMs: number): WorkerResult[] {
  if (tasks.length === 0) return [];
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const parserPath = createRequire(import.meta.url).resolve('@apidevtools/swagger-parser');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, signal, parserPath, tasks }, transferList: [port2] });
  worker.unref();
  try {
    Atomics.wait(signal, 0, 0, timeoutMs);
    const message = receiveMessageOnPort(port1);
    return message ? (message.message as WorkerResult[]) : tasks.map(() => ({ ok: false, error: `no answer within ${timeoutMs} ms` }));
  } finally {
    port1.close();
    void worker.terminate();
  }
}
