/**
 * createTrpcHandler writes tRPC's answers whole instead of piping them through a web stream. It
 * must answer exactly as @trpc/server's standalone handler does otherwise: the same status, body
 * and headers (Content-Length in place of chunked encoding being the one difference), the same
 * errors reported, cookies set by the context kept, streams still streamed. Both handlers serve
 * the same small router on two ports and get the same requests.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { initTRPC, TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { createTrpcHandler } from './trpc-handler.ts';

const t = initTRPC.context<{ res: ServerResponse; user: string | null }>().create({
  transformer: superjson,
  isDev: false,
});
const router = t.router({
  hello: t.procedure
    .input(z.object({ name: z.string() }).optional())
    .query(({ input }) => ({ greeting: `Hello ${input?.name ?? 'you'}`, at: new Date(0), amount: 12n })),
  secret: t.procedure.query(({ ctx }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
    return { user: ctx.user };
  }),
  remember: t.procedure.input(z.object({ value: z.string().max(10) })).mutation(({ ctx, input }) => {
    ctx.res.appendHeader('Set-Cookie', `value=${input.value}; HttpOnly`);
    ctx.res.appendHeader('Set-Cookie', 'second=2');
    return { ok: true };
  }),
  broken: t.procedure.query(() => {
    throw new Error('an internal detail');
  }),
  ticks: t.procedure.subscription(async function* () {
    yield 1;
    yield 2;
  }),
});

function handlerOptions(errors: string[]) {
  return {
    router,
    basePath: '/trpc/',
    maxBodySize: 1000,
    createContext: ({ req, res }: { req: { headers: Record<string, unknown> }; res: ServerResponse }) => ({
      res,
      user: (req.headers.authorization as string | undefined) ?? null,
    }),
    onError: ({ error, path }: { error: TRPCError; path?: string }) => {
      errors.push(`${path}: ${error.code}`);
    },
    responseMeta: () => ({ headers: { 'cache-control': 'no-store' } }),
  };
}

const stockErrors: string[] = [];
const ourErrors: string[] = [];
const servers: Server[] = [];
let stockUrl = '';
let ourUrl = '';

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  stockUrl = await listen(createServer(createHTTPHandler(handlerOptions(stockErrors))));
  ourUrl = await listen(createServer(createTrpcHandler(handlerOptions(ourErrors))));
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

const input = (value: unknown) => encodeURIComponent(JSON.stringify(superjson.serialize(value)));
const json = { 'Content-Type': 'application/json' };
const requests: Record<string, [string, RequestInit?]> = {
  query: ['/trpc/hello'],
  queryWithInput: [`/trpc/hello?input=${input({ name: 'Ada' })}`],
  batch: [
    `/trpc/hello,secret?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ name: 'Bo' }) }))}`,
    { headers: { Authorization: 'bo' } },
  ],
  unauthorized: ['/trpc/secret'],
  mutationSettingCookies: [
    '/trpc/remember',
    { method: 'POST', headers: json, body: JSON.stringify({ json: { value: 'x' } }) },
  ],
  badInput: [
    '/trpc/remember',
    { method: 'POST', headers: json, body: JSON.stringify({ json: { value: 'far too long' } }) },
  ],
  bodyTooLarge: [
    '/trpc/remember',
    { method: 'POST', headers: json, body: JSON.stringify({ json: { value: 'x'.repeat(2000) } }) },
  ],
  wrongMethod: ['/trpc/remember'],
  unknownProcedure: ['/trpc/nope'],
  internalError: ['/trpc/broken'],
  unparsableInput: ['/trpc/hello?input=%7Bnot-json'],
  head: ['/trpc/hello', { method: 'HEAD' }],
  streamedBatch: [
    `/trpc/hello,secret?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ name: 'Cy' }) }))}`,
    { headers: { 'trpc-accept': 'application/jsonl' } },
  ],
  subscription: ['/trpc/ticks', { headers: { Accept: 'text/event-stream' } }],
};

/** What a client sees; the headers that name the framing (or the moment) are left out. */
async function answer(base: string, [path, init]: [string, RequestInit?]) {
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const headers = Object.fromEntries(
    [...res.headers].filter(
      ([name]) => !['date', 'content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name),
    ),
  );
  return { status: res.status, headers, cookies: res.headers.getSetCookie(), body: await res.text() };
}

it('answers every request as the standalone handler does', async () => {
  const stock: Record<string, unknown> = {};
  const ours: Record<string, unknown> = {};
  for (const [name, request] of Object.entries(requests)) {
    stock[name] = await answer(stockUrl, request);
    ours[name] = await answer(ourUrl, request);
  }
  expect({ answers: ours, errors: ourErrors }).toEqual({ answers: stock, errors: stockErrors });
});

it('sends whole answers with a Content-Length, and streams with chunked encoding', async () => {
  const framing = async (request: [string, RequestInit?]) => {
    const res = await fetch(`${ourUrl}${request[0]}`, request[1]);
    await res.text();
    return res.headers.get('content-length') !== null ? 'length' : res.headers.get('transfer-encoding');
  };
  expect({
    query: await framing(requests.query!),
    batch: await framing(requests.batch!),
    error: await framing(requests.unauthorized!),
    streamedBatch: await framing(requests.streamedBatch!),
  }).toEqual({ query: 'length', batch: 'length', error: 'length', streamedBatch: 'chunked' });
});
