/**
 * A tRPC client that behaves like a browser tab: it keeps the cookies it is given and sends an
 * Origin header. Used by the tests and the benchmarks.
 */
import type { AppRouter } from '@goalpost/api';
import { createTRPCClient, httpLink } from '@trpc/client';

export interface TestClient {
  trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
  cookies: Map<string, string>;
  /** Raw Set-Cookie headers received, newest last. */
  setCookies: string[];
}

export function testClient(url: string, options: { origin?: string | null } = {}): TestClient {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  const origin = options.origin === undefined ? url : options.origin;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers);
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
