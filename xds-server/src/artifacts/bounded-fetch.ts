// [impure] One HTTP GET with a deadline and a size cap: a published artifact set is fetched from
// hosts the control plane does not control, so a slow or oversized answer must not hold a poll
// forever or fill the memory. The deadline covers the body too.

export interface BoundedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

export interface BoundedFetchOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
}

export class FetchFailed extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the host answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}
/** The answer was larger than allowed. */
export class TooLarge extends FetchFailed {}

export async function boundedGet(url: string, options: BoundedFetchOptions): Promise<BoundedResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers: options.headers ?? {}, signal, redirect: 'follow' });
  } catch (error) {
    throw new FetchFailed(`GET ${url}: ${describe(error, options.timeoutMs)}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await response.body?.cancel();
    throw new TooLarge(`GET ${url}: ${declared} bytes, more than the ${options.maxBytes} allowed`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          await response.body.cancel();
          throw new TooLarge(`GET ${url}: more than the ${options.maxBytes} bytes allowed`);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
  } catch (error) {
    if (error instanceof FetchFailed) throw error;
    throw new FetchFailed(`GET ${url}: ${describe(error, options.timeoutMs)}`);
  }
  return { status: response.status, headers: response.headers, body: Buffer.concat(chunks) };
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no complete answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.message} (${cause.code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}
