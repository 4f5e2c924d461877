/**
 * A tRPC client that behaves like a browser tab: it keeps the cookies it is given and sends an
 * Origin header. Used by the tests and the benchmarks.
 */
import type { AppRouter } from '@goalpost/api';
import { createTRPCClient, httpLink } from '@trpc/client';
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
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        transformer: superjson,
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers);
          for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
          if (origin) headers.set('Origin', origin);
          if (cookies.size) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
          const res = await fetch(input, { ...init, headers });
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
 * wire format spelled out: superjson envelopes around the input and the answer.
 */
export async function rawCall(
  url: string,
  path: string,
  options: { type?: 'query' | 'mutation'; input?: unknown; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const { type = 'mutation', input, headers = {} } = options;
  const encoded = JSON.stringify(superjson.serialize(input));
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
