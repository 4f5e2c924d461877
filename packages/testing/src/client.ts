/**
 * A tRPC client that behaves like a browser tab: it keeps the cookies it is given and sends an
 * Origin header; subscriptions run over SSE as in the browser (the `eventsource` package is
 * Node's EventSource, fed the same cookies). Used by the tests and the benchmarks.
 */
import type { AppRouter } from '@goalpost/api';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';

export interface TestClient {
  trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
  cookies: Map<string, string>;
  /** Raw Set-Cookie headers received, newest last. */
  setCookies: string[];
}

export function testClient(
  url: string,
  options: { origin?: string | null; headers?: Record<string, string> } = {},
): TestClient {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  const origin = options.origin === undefined ? url : options.origin;
  const withCookies = (init: { headers?: HeadersInit } | undefined) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (origin) headers.set('Origin', origin);
    if (cookies.size) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    return headers;
  };
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: withCookies(init) }),
          },
        }),
        false: httpLink({
          url: `${url}/trpc`,
          transformer: superjson,
          fetch: async (input, init) => {
            const res = await fetch(input, { ...init, headers: withCookies(init) });
            for (const cookie of res.headers.getSetCookie()) {
              setCookies.push(cookie);
              const [pair = ''] = cookie.split(';');
              const [name = '', ...value] = pair.split('=');
              if (/max-age=0/i.test(cookie) || value.join('=') === '') cookies.delete(name);
              else cookies.set(name, value.join('='));
            }
            return res;
          },
        }),
      }),
    ],
  });
  return { trpc, cookies, setCookies };
}

export interface RawAnswer {
  status: number;
  /** The tRPC error code, or null for a success. */
  code: string | null;
  message: string | null;
  /** The whole decoded error (its data included), or the result. */
  error: Record<string, unknown> | null;
  result: unknown;
  headers: Headers;
}

/**
 * One procedure over plain HTTP, as a hand-written client (or an attacker) would call it, with the
 * wire format spelled out: superjson envelopes around the input and the answer. A subscription
 * is opened as an SSE stream and answered by its first event (an error or the first value).
 */
export async function rawCall(
  url: string,
  path: string,
  options: {
    type?: 'query' | 'mutation' | 'subscription';
    input?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<RawAnswer> {
  const { type = 'mutation', input, headers = {} } = options;
  const encoded = JSON.stringify(superjson.serialize(input));
  if (type === 'subscription') return firstEvent(url, path, encoded, headers);
  const res =
    type === 'query'
      ? await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(encoded)}`, { headers })
      : await fetch(`${url}/trpc/${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: encoded,
        });
  const body = (await res.json()) as {
    error?: { json: Record<string, unknown> };
    result?: { data: { json: unknown; meta?: unknown } };
  };
  const error = body.error?.json ?? null;
  return {
    status: res.status,
    code: ((error?.data as { code?: string } | undefined)?.code ?? null) as string | null,
    message: (error?.message as string | undefined) ?? null,
    error,
    result: body.result ? superjson.deserialize(body.result.data as never) : undefined,
    headers: res.headers,
  };
}

async function firstEvent(
  url: string,
  path: string,
  encoded: string,
  headers: Record<string, string>,
): Promise<RawAnswer> {
  const res = await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(encoded)}`, {
    headers: { Accept: 'text/event-stream', ...headers },
  });
  if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`${path} did not answer with an event stream (HTTP ${res.status}).`);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${path} ended its stream without an event.`);
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data === undefined || event === 'connected' || event === 'ping') continue;
        const parsed = JSON.parse(data) as Record<string, unknown>;
        if (event === 'serialized-error') {
          const error = parsed.json as Record<string, unknown>;
          return {
            status: res.status,
            code: ((error.data as { code?: string } | undefined)?.code ?? null) as string | null,
            message: (error.message as string | undefined) ?? null,
            error,
            result: undefined,
            headers: res.headers,
          };
        }
        return {
          status: res.status,
          code: null,
          message: null,
          error: null,
          result: superjson.deserialize(parsed as never),
          headers: res.headers,
        };
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
