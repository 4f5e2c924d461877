/**
 * The REST API (/api/v1) over real HTTP, as an integrator's script calls it. Every operation of the
 * served OpenAPI document is called without a token, with a read token and with a write token, and
 * must answer as the document says: the status, and a body that validates (ajv, JSON Schema 2020-12)
 * against the schema the document gives for that status. A table below says how to call each
 * operation; an operation added to the document without a row here fails the test.
 *
 * Then what tokens must not do: a browser session never authenticates /api/v1 and a token never
 * authenticates /trpc; a revoked token, an expired one and a deactivated person's stop at once; a
 * token reaches only what its person may read (NOT_FOUND otherwise); each token has its own rate
 * limit; every write through a token leaves one audit row naming it, and reads stamp last use.
 */
import { importFormData } from '@goalpost/api/imports';
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MARKETING_2027, xlsx } from '../../../packages/api/src/imports/corpus.ts';

let t: TestApp;
let owner: TestClient;
let ownerId: string;
let ids: {
  goalId: string;
  budgetId: string;
  forecastId: string;
  lineKey: string;
  notificationId: string;
  importId: string;
};
let tokens: { read: string; write: string; stranger: string };
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON here
let doc: any;
let ajv: Ajv2020;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.activeUser({ email: 'rita@rest.test', name: 'Rita Rest', password: 'Integrators-2027!' });
  ownerId = (await owner.trpc.auth.me.query())!.id;
  const goal = await owner.trpc.goals.create.mutate({
    name: 'New office',
    targetAmountMinor: 50_000_00n,
    currency: 'EUR',
  });
  const budget = await owner.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Fit-out 2027',
    periodStart: '2027-01-01',
    periods: 3,
  });
  const lineKey = crypto.randomUUID();
  await owner.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: lineKey, position: 0, category: 'Travel', description: 'Flights' }] },
    cells: [{ lineKey, period: '2027-01-01', from: null, to: 4000_00n }],
  });
  const forecast = await owner.trpc.forecasts.create.mutate({ budgetId: budget.id, name: 'Q1 outlook' });
  // A notification for Rita: Sam shares his goal with her (delivered by the notifications consumer).
  const sam = await t.activeUser({ email: 'sam@rest.test', name: 'Sam Stranger', password: 'Integrators-2027!' });
  const samGoal = await sam.trpc.goals.create.mutate({ name: "Sam's", targetAmountMinor: 0n, currency: 'EUR' });
  await sam.trpc.sharing.grant.mutate({ subject: { type: 'goal', id: samGoal.id }, userId: ownerId, level: 'viewer' });
  const notificationId = await t.eventually(async () => (await owner.trpc.notifications.list.query({})).items[0]?.id);
  // An import read and ready to commit, for the imports operations.
  const started = await owner.trpc.imports.startJson.mutate({
    source: { kind: 'document', document: DOCUMENT },
    target: { kind: 'new-budget', goalId: goal.id, name: 'Imported' },
  });
  await t.eventually(
    async () => (await owner.trpc.imports.get.query({ importId: started.id })).state === 'ready',
    60_000,
  );
  ids = {
    goalId: goal.id,
    budgetId: budget.id,
    forecastId: forecast.id,
    lineKey,
    notificationId,
    importId: started.id,
  };
  tokens = {
    read: (await owner.trpc.tokens.create.mutate({ name: 'Reporting', scope: 'read' })).secret,
    write: (await owner.trpc.tokens.create.mutate({ name: 'ERP sync', scope: 'write' })).secret,
    stranger: (await sam.trpc.tokens.create.mutate({ name: "Sam's script", scope: 'write' })).secret,
  };
  doc = await (await fetch(`${t.url}/api/v1/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi');
});
afterAll(() => t?.close());

/** A JSON budget document with one amount the parse rejects. */
const DOCUMENT = {
  currency: 'EUR',
  lines: [
    { category: 'Travel', description: 'Flights', amounts: { '2027-01': '1200.00', '2027-02': '980.50' } },
    { category: 'Office', description: 'Rent', amounts: { '2027-01': '2500', '2027-02': 'n/a' } },
  ],
};

/** A CSV budget file, one amount the parse rejects (D3). */
const CSV = 'Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,"1,200.00",980.50\r\nOffice,Power,310.20,n/a\r\n';

/** A file as POST /imports takes it: its name and its bytes as base64. */
function fileSource(name: string, bytes: Uint8Array | string) {
  return { kind: 'file', name, contentBase64: Buffer.from(bytes).toString('base64') };
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${t.url}/api/v1${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are plain JSON, checked against the document
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** Problems with an answer against the document's schema for that operation and status. */
function undocumented(path: string, method: string, status: number, body: unknown): string[] {
  const pointer = `openapi#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses/${status}/content/application~1json/schema`;
  if (!doc.paths[path][method].responses[String(status)]) return [`status ${status} is not documented`];
  const validate = ajv.compile({ $ref: pointer });
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** How to call each operation of the document: its path filled in, its query or body. */
function requests(): Record<string, { path: string; body?: unknown }> {
  return {
    'get /goals': { path: '/goals?status=active&sort=name&page=1&pageSize=10' },
    'get /goals/{goalId}': { path: `/goals/${ids.goalId}` },
    'get /budgets': { path: `/budgets?goalId=${ids.goalId}&state=draft&search=fit&sort=name&page=1&pageSize=10` },
    'get /forecasts': { path: `/forecasts?budgetId=${ids.budgetId}&search=outlook&sort=updated&direction=asc` },
    'get /budgets/{budgetId}': { path: `/budgets/${ids.budgetId}` },
    'post /budgets/{budgetId}/changes': {
      path: `/budgets/${ids.budgetId}/changes`,
      body: { versionNumber: 1, cells: [{ lineKey: ids.lineKey, period: '2027-02-01', from: null, to: '125050' }] },
    },
    'get /forecasts/{forecastId}': { path: `/forecasts/${ids.forecastId}` },
    'post /forecasts/{forecastId}/changes': {
      path: `/forecasts/${ids.forecastId}/changes`,
      body: { cells: [{ lineKey: ids.lineKey, period: '2027-01-01', field: 'actual', from: null, to: '391250' }] },
    },
    'get /notifications': { path: '/notifications?page=1&pageSize=5' },
    'post /notifications/read': { path: '/notifications/read', body: { notificationIds: [ids.notificationId] } },
    'post /imports': {
      path: '/imports',
      body: {
        source: fileSource('plan.csv', CSV),
        target: { kind: 'budget', budgetId: ids.budgetId, mode: 'merge' },
      },
    },
    'get /imports/{importId}': { path: `/imports/${ids.importId}` },
    'get /imports/{importId}/report': { path: `/imports/${ids.importId}/report` },
    'post /imports/{importId}/commit': { path: `/imports/${ids.importId}/commit`, body: { skipRejected: true } },
  };
}

it('answers every operation as documented: without a token, with a read token and with a write token', async () => {
  const table = requests();
  const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method} ${path}`),
  );
  expect(operations.sort()).toEqual(Object.keys(table).sort());
  const outcomes: Record<string, unknown> = {};
  for (const operation of operations) {
    const [method, docPath] = operation.split(' ') as [string, string];
    const { path, body } = table[operation]!;
    const write = method !== 'get';
    const anonymous = await call(method.toUpperCase(), path, { body });
    const read = await call(method.toUpperCase(), path, { token: tokens.read, body });
    // A write's own answer after the read token's refusal, so the write token makes the change once.
    const written = await call(method.toUpperCase(), path, { token: tokens.write, body });
    outcomes[operation] = {
      none: [anonymous.status, anonymous.body.code, undocumented(docPath, method, anonymous.status, anonymous.body)],
      read: [read.status, write ? read.body.code : 'ok', undocumented(docPath, method, read.status, read.body)],
      write: [written.status, undocumented(docPath, method, written.status, written.body)],
    };
  }
  const expected = Object.fromEntries(
    operations.map((operation) => [
      operation,
      {
        none: [401, 'UNAUTHORIZED', []],
        read: operation.startsWith('get') ? [200, 'ok', []] : [403, 'FORBIDDEN', []],
        write: [200, []],
      },
    ]),
  );
  expect(outcomes).toEqual(expected);
});

it('imports a JSON budget document: start, read the dry run and its report, commit', async () => {
  const started = await call('POST', '/imports', {
    token: tokens.write,
    body: {
      source: { kind: 'document', fileName: 'plan-2027.json', document: DOCUMENT },
      target: { kind: 'new-budget', goalId: ids.goalId, name: 'Plan 2027', periodStart: '2027-01-01', periods: 12 },
    },
  });
  expect([started.status, started.body.fileName, started.body.source]).toEqual([
    200,
    'plan-2027.json',
    { kind: 'upload', size: JSON.stringify(DOCUMENT).length, contentType: 'application/json' },
  ]);
  const importId = started.body.id;
  const dryRun = await t.eventually(async () => {
    const res = await call('GET', `/imports/${importId}`, { token: tokens.read });
    return res.body.state === 'ready' ? res : undefined;
  }, 60_000);
  const report = await call('GET', `/imports/${importId}/report`, { token: tokens.read });
  const refused = await call('POST', `/imports/${importId}/commit`, { token: tokens.write, body: {} });
  expect({
    documented: undocumented('/imports/{importId}', 'get', 200, dryRun.body),
    canCommit: dryRun.body.canCommit,
    preview: dryRun.body.parse.preview.map((l: { amounts: unknown }) => l.amounts),
    rejected: dryRun.body.parse.rejected.map((r: { coordinate: string; value: string }) => [r.coordinate, r.value]),
    report: [report.status, report.body.fileName, report.body.csv.split('\r\n')[1]],
    refused: [refused.status, refused.body.code, undocumented('/imports/{importId}/commit', 'post', 409, refused.body)],
  }).toEqual({
    documented: [],
    canCommit: true,
    preview: [{ '2027-01-01': '120000', '2027-02-01': '98050' }, { '2027-01-01': '250000' }],
    rejected: [['lines[1].amounts["2027-02"]', '"n/a"']],
    report: [
      200,
      'plan-2027 - import report.csv',
      '"lines[1].amounts[""2027-02""]","2","amounts[""2027-02""]","json-schema","""n/a""","Write amounts as plain decimal strings, such as ""1234.56"" (no grouping or currency)."',
    ],
    refused: [409, 'CONFLICT', []],
  });
  const committed = await call('POST', `/imports/${importId}/commit`, {
    token: tokens.write,
    body: { skipRejected: true },
  });
  expect(committed.body.state).toBe('importing');
  const done = await t.eventually(async () => {
    const res = await call('GET', `/imports/${importId}`, { token: tokens.read });
    return ['done', 'failed'].includes(res.body.state) ? res : undefined;
  }, 60_000);
  const budget = await call('GET', `/budgets/${done.body.result.budgetId}`, { token: tokens.read });
  expect({
    state: done.body.state,
    documented: undocumented('/imports/{importId}', 'get', 200, done.body),
    lines: budget.body.lines.map((l: { category: string; amounts: unknown[] }) => [l.category, l.amounts.slice(0, 2)]),
  }).toEqual({
    state: 'done',
    documented: [],
    lines: [
      ['Travel', ['120000', '98050']],
      ['Office', ['250000', null]],
    ],
  });
});

it('refuses a document that is not one at the start, naming the field, and another person’s import', async () => {
  const junk = await call('POST', '/imports', {
    token: tokens.write,
    body: {
      source: { kind: 'document', document: { lines: 'none' } },
      target: { kind: 'new-budget', goalId: ids.goalId, name: 'X' },
    },
  });
  const theirs = await call('GET', `/imports/${ids.importId}`, { token: tokens.stranger });
  expect({
    junk: [junk.status, junk.body.issues?.map((i: { path: unknown[] }) => i.path.join('.'))],
    theirs: [theirs.status, theirs.body.code],
  }).toEqual({ junk: [400, ['source.document.lines']], theirs: [404, 'NOT_FOUND'] });
});

it('refuses a document over the upload limit with 413, naming the field', async () => {
  const small = await startTestApp({ IMPORT_MAX_BYTES: '200' }, { sameDatabaseAs: t });
  try {
    const res = await fetch(`${small.url}/api/v1/imports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.write}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        source: { kind: 'document', document: DOCUMENT },
        target: { kind: 'new-budget', goalId: ids.goalId, name: 'Too large' },
      }),
    });
    const body = (await res.json()) as { code: string; message: string };
    expect([res.status, body.code, body.message.split(';')[0]]).toEqual([
      413,
      'PAYLOAD_TOO_LARGE',
      `source.document: "document.json" is ${JSON.stringify(DOCUMENT).length} bytes`,
    ]);
  } finally {
    await small.close();
  }
});

/** Polls an import over REST until it is in one of `states`. */
async function settled(importId: string, states: string[]) {
  return t.eventually(async () => {
    const res = await call('GET', `/imports/${importId}`, { token: tokens.read });
    return states.includes(res.body.state) ? res : undefined;
  }, 60_000);
}

it('imports an Excel workbook sent as base64: start, read the dry run and its report, commit', async () => {
  const workbook = await xlsx(MARKETING_2027);
  const started = await call('POST', '/imports', {
    token: tokens.write,
    body: {
      source: fileSource('marketing-2027.xlsx', workbook),
      target: { kind: 'new-budget', goalId: ids.goalId, name: 'Marketing 2027' },
    },
  });
  expect([started.status, started.body.fileName, started.body.source]).toEqual([
    200,
    'marketing-2027.xlsx',
    { kind: 'upload', size: workbook.length, contentType: null },
  ]);
  const dryRun = await settled(started.body.id, ['ready', 'failed']);
  const report = await call('GET', `/imports/${started.body.id}/report`, { token: tokens.read });
  const parse = dryRun.body.parse;
  expect({
    state: dryRun.body.state,
    documented: undocumented('/imports/{importId}', 'get', 200, dryRun.body),
    canCommit: dryRun.body.canCommit,
    needsSkipRejected: dryRun.body.needsSkipRejected,
    read: [parse.format, parse.sheet, parse.headerRow, parse.periods, parse.rejectedTotal, parse.mismatches],
    preview: parse.preview.map((l: { category: string; description: string; amounts: unknown }) => [
      l.category,
      l.description,
      l.amounts,
    ]),
    report: [report.status, report.body.fileName, report.body.csv.split('\r\n')],
  }).toEqual({
    state: 'ready',
    documented: [],
    canCommit: true,
    needsSkipRejected: false,
    read: ['xlsx', 'Budget 2027', 3, { first: '2027-01-01', last: '2027-03-01' }, 0, []],
    preview: [
      ['Travel', 'Flights', { '2027-01-01': '120000', '2027-02-01': '130050', '2027-03-01': '140000' }],
      ['Travel', 'Hotels', { '2027-01-01': '80000', '2027-03-01': '65025' }],
      ['Events', 'Fair stand', { '2027-01-01': '200000', '2027-02-01': '0', '2027-03-01': '0' }],
    ],
    report: [
      200,
      'marketing-2027 - import report.csv',
      ['\uFEFF"coordinate","row","column","rule","value","message"', ''],
    ],
  });
  const committed = await call('POST', `/imports/${started.body.id}/commit`, { token: tokens.write, body: {} });
  expect(committed.body.state).toBe('importing');
  const done = await settled(started.body.id, ['done', 'failed']);
  const budget = await call('GET', `/budgets/${done.body.result.budgetId}`, { token: tokens.read });
  expect({
    state: done.body.state,
    budget: [budget.body.name, budget.body.periods],
    lines: budget.body.lines.map((l: { category: string; description: string; amounts: unknown[] }) => [
      l.category,
      l.description,
      l.amounts,
    ]),
  }).toEqual({
    state: 'done',
    budget: ['Marketing 2027', ['2027-01-01', '2027-02-01', '2027-03-01']],
    lines: [
      ['Travel', 'Flights', ['120000', '130050', '140000']],
      ['Travel', 'Hotels', ['80000', null, '65025']],
      ['Events', 'Fair stand', ['200000', '0', '0']],
    ],
  });
});

it('reads a CSV file sent as base64 exactly as the same file uploaded in the app', async () => {
  const target = { kind: 'new-budget' as const, goalId: ids.goalId, name: 'Plan from CSV' };
  const viaRest = await call('POST', '/imports', {
    token: tokens.write,
    body: { source: fileSource('plan.csv', CSV), target },
  });
  const viaUpload = await owner.trpc.imports.start.mutate(importFormData(new Blob([CSV]), 'plan.csv', { target }));
  const [rest, upload] = [
    (await settled(viaRest.body.id, ['ready', 'failed'])).body,
    (await settled(viaUpload.id, ['ready', 'failed'])).body,
  ];
  // The browser's content type is kept with an upload; a REST file has none to keep.
  const read = (view: typeof rest) => ({
    state: view.state,
    fileName: view.fileName,
    size: view.source.size,
    parse: view.parse,
  });
  expect(read(rest)).toEqual(read(upload));
  expect({
    source: rest.source,
    format: rest.parse.format,
    rejected: rest.parse.rejected.map((r: { coordinate: string; value: string }) => [r.coordinate, r.value]),
    preview: rest.parse.preview.map((l: { amounts: unknown }) => l.amounts),
  }).toEqual({
    source: { kind: 'upload', size: CSV.length, contentType: null },
    format: 'csv',
    rejected: [['plan!D3', 'n/a']],
    preview: [{ '2027-01-01': '120000', '2027-02-01': '98050' }, { '2027-01-01': '31020' }],
  });
  for (const importId of [rest.id, upload.id]) await owner.trpc.imports.cancel.mutate({ importId });
});

it('refuses bad base64, a file that is no budget and a read token at the start, naming the field', async () => {
  const target = { kind: 'new-budget', goalId: ids.goalId, name: 'Refused file' };
  const start = (source: unknown, token = tokens.write) =>
    call('POST', '/imports', { token, body: { source, target } });
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
  const badBase64 = await start({ kind: 'file', name: 'plan.xlsx', contentBase64: 'UEsDBBQ-not base64!' });
  const lineBreaks = await start({ kind: 'file', name: 'plan.csv', contentBase64: 'Q2F0ZWdvcnks\nSmFuIDIwMjc=' });
  const notBudget = await start(fileSource('scan.pdf', pdf));
  const uploaded = await failure(
    owner.trpc.imports.start.mutate(importFormData(new Blob([pdf]), 'scan.pdf', { target: target as never })),
  );
  const readOnly = await start(fileSource('plan.csv', CSV), tokens.read);
  const issues = (res: Awaited<typeof badBase64>) =>
    res.body.issues.map((i: { path: string[]; message: string }) => [i.path.join('.'), i.message]);
  const BASE64 =
    'Send the file’s bytes as base64 on one line (RFC 4648: A–Z, a–z, 0–9, + and /, padded with =), as `base64 -w0 budget.xlsx` prints it.';
  expect({
    badBase64: [badBase64.status, badBase64.body.code, issues(badBase64)],
    lineBreaks: [lineBreaks.status, issues(lineBreaks)],
    notBudget: [notBudget.status, notBudget.body.code, notBudget.body.message],
    uploaded: uploaded.message,
    readOnly: [readOnly.status, readOnly.body.code],
    documented: [badBase64, notBudget, readOnly].flatMap((r) => undocumented('/imports', 'post', r.status, r.body)),
    stored: await t.sql("select id from imports where target->>'name' = 'Refused file'"),
  }).toEqual({
    badBase64: [400, 'BAD_REQUEST', [['source.contentBase64', BASE64]]],
    lineBreaks: [400, [['source.contentBase64', BASE64]]],
    notBudget: [
      400,
      'BAD_REQUEST',
      'source.contentBase64: "scan.pdf" is a PDF document. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
    ],
    uploaded:
      'file: "scan.pdf" is a PDF document. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
    readOnly: [403, 'FORBIDDEN'],
    documented: [],
    stored: [],
  });
});

it('measures the upload limit on the decoded file: one at the limit gets through as base64, a larger one is 413', async () => {
  // 3 MB as base64 is 4 MB: a body limit of the upload limit plus 1 MB would refuse it unread.
  const max = 3 * 1024 * 1024;
  const small = await startTestApp({ IMPORT_MAX_BYTES: String(max) }, { sameDatabaseAs: t });
  const csvOf = (size: number) => {
    const head = 'Category,Jan 2027\r\n';
    return head + 'Travel,1\r\n'.repeat(Math.floor((size - head.length) / 10)).padEnd(size - head.length, ' ');
  };
  try {
    const post = async (name: string, size: number) => {
      const res = await fetch(`${small.url}/api/v1/imports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.write}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          source: fileSource(name, csvOf(size)),
          target: { kind: 'new-budget', goalId: ids.goalId, name: 'Sized' },
        }),
      });
      const body = (await res.json()) as { id?: string; code?: string; message?: string; source?: unknown };
      if (body.id) await owner.trpc.imports.cancel.mutate({ importId: body.id });
      const documented = undocumented('/imports', 'post', res.status, body);
      return [res.status, body.code ?? body.source, body.message?.split('. ')[0], documented];
    };
    expect({
      atLimit: await post('full.csv', max),
      over: await post('over.csv', max + 256 * 1024),
      beyondTheBody: await post('huge.csv', 4 * 1024 * 1024),
    }).toEqual({
      atLimit: [200, { kind: 'upload', size: max, contentType: null }, undefined, []],
      over: [413, 'PAYLOAD_TOO_LARGE', 'source.contentBase64: "over.csv" is 3.3 MB; the limit is 3 MB', []],
      beyondTheBody: [
        413,
        'PAYLOAD_TOO_LARGE',
        'The request is 5.3 MB; the REST API takes at most 5 MB, room for an import file of 3 MB (IMPORT_MAX_BYTES) in base64',
        [],
      ],
    });
  } finally {
    await small.close();
  }
});

it('carries money as exact strings of minor units, both ways, and dates as ISO strings', async () => {
  const big = '9007199254740993'; // 2^53 + 1: a JSON number could not carry it
  const before = await call('GET', `/budgets/${ids.budgetId}`, { token: tokens.read });
  const from = before.body.lines[0].amounts[2];
  const saved = await call('POST', `/budgets/${ids.budgetId}/changes`, {
    token: tokens.write,
    body: { versionNumber: 1, cells: [{ lineKey: ids.lineKey, period: '2027-03-01', from, to: big }] },
  });
  const after = await call('GET', `/budgets/${ids.budgetId}`, { token: tokens.read });
  const web = await owner.trpc.budgets.get.query({ budgetId: ids.budgetId });
  expect({
    saved: saved.status,
    amounts: after.body.lines[0].amounts,
    inApp: web.lines[0]!.amounts,
    updatedAt: after.body.updatedAt,
  }).toEqual({
    saved: 200,
    amounts: ['400000', '125050', big],
    inApp: [400000n, 125050n, BigInt(big)],
    updatedAt: web.updatedAt.toISOString(),
  });
  const junk = await call('POST', `/budgets/${ids.budgetId}/changes`, {
    token: tokens.write,
    body: { versionNumber: 1, cells: [{ lineKey: ids.lineKey, period: '2027-03-01', from: big, to: '12.50' }] },
  });
  expect([junk.status, junk.body.code, junk.body.message]).toEqual([400, 'BAD_REQUEST', 'Input validation failed']);
  expect(
    junk.body.issues.map((i: { path: unknown[]; message: string }) => [i.path.join('.'), i.message]),
  ).toContainEqual(['cells.0.to', 'Send amounts as a string of integer minor units, like "125000" for 1,250.00.']);
});

it('reads query flags as written: unreadOnly=false lists read and unread alike', async () => {
  // The notification marked read above; imports finishing meanwhile add unread ones.
  const listed = async (query: string) => {
    const res = await call('GET', `/notifications?pageSize=100${query}`, { token: tokens.read });
    const items = res.body.items as { id: string; readAt: string | null }[];
    return { hasRead: items.some((i) => i.id === ids.notificationId), allUnread: items.every((i) => !i.readAt) };
  };
  expect({
    all: await listed(''),
    notOnlyUnread: await listed('&unreadOnly=false'),
    unreadOnly: await listed('&unreadOnly=true'),
  }).toEqual({
    all: { hasRead: true, allUnread: false },
    notOnlyUnread: { hasRead: true, allUnread: false },
    unreadOnly: { hasRead: false, allUnread: true },
  });
});

it('answers a stale cell with 409 and the current value, as the document describes', async () => {
  const stale = await call('POST', `/budgets/${ids.budgetId}/changes`, {
    token: tokens.write,
    body: { versionNumber: 1, cells: [{ lineKey: ids.lineKey, period: '2027-01-01', from: '1', to: '2' }] },
  });
  expect({
    status: stale.status,
    code: stale.body.code,
    conflicts: stale.body.data.conflicts,
    documented: undocumented('/budgets/{budgetId}/changes', 'post', 409, stale.body),
  }).toEqual({
    status: 409,
    code: 'CONFLICT',
    conflicts: [{ lineKey: ids.lineKey, period: '2027-01-01', field: 'amount', current: '400000', mine: '2' }],
    documented: [],
  });
});

it("lists budgets and forecasts with the token's person's access, money as strings", async () => {
  const budgets = await call('GET', '/budgets?search=Fit-out', { token: tokens.read });
  const forecasts = await call('GET', `/forecasts?goalId=${ids.goalId}`, { token: tokens.read });
  const strangers = await call('GET', '/budgets', { token: tokens.stranger });
  const strangersForecasts = await call('GET', '/forecasts', { token: tokens.stranger });
  const badFilter = await call('GET', '/budgets?state=done', { token: tokens.read });
  expect({
    budgets: budgets.body.items.map((b: { id: string; goal: unknown; totalMinor: unknown; updatedAt: unknown }) => [
      b.id,
      b.goal,
      typeof b.totalMinor,
      typeof b.updatedAt,
    ]),
    forecasts: forecasts.body.items.map((f: { id: string; budget: { id: string } }) => [f.id, f.budget.id]),
    stranger: [strangers.body.total, strangersForecasts.body.total],
    badFilter: [
      badFilter.status,
      badFilter.body.issues.map((i: { path: string[] }) => i.path.join('.')),
      undocumented('/budgets', 'get', 400, badFilter.body),
    ],
  }).toEqual({
    budgets: [[ids.budgetId, { id: ids.goalId, name: 'New office' }, 'string', 'string']],
    forecasts: [[ids.forecastId, ids.budgetId]],
    stranger: [0, 0],
    badFilter: [400, ['state'], []],
  });
});

it("reaches only what the token's person may read: someone else's budget is NOT_FOUND", async () => {
  const res = await call('GET', `/budgets/${ids.budgetId}`, { token: tokens.stranger });
  const write = await call('POST', `/budgets/${ids.budgetId}/changes`, {
    token: tokens.stranger,
    body: { versionNumber: 1, cells: [] },
  });
  expect([res.status, res.body.code, write.status, write.body.code]).toEqual([404, 'NOT_FOUND', 404, 'NOT_FOUND']);
});

it('never takes a browser session on /api/v1, nor a token on /trpc', async () => {
  const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const withCookie = await call('GET', '/goals', { headers: { Cookie: cookie, Origin: t.url } });
  const trpcWithToken = await rawCall(t.url, 'auth.me', {
    type: 'query',
    headers: { Authorization: `Bearer ${tokens.write}` },
  });
  const trpcWrite = await rawCall(t.url, 'goals.create', {
    input: { name: 'x', targetAmountMinor: 1n, currency: 'EUR' },
    headers: { Authorization: `Bearer ${tokens.write}`, Origin: t.url },
  });
  expect([withCookie.status, trpcWithToken.result, trpcWrite.code]).toEqual([401, null, 'UNAUTHORIZED']);
});

it('stops a revoked token, an expired one and a deactivated person’s at once', async () => {
  const revoked = await owner.trpc.tokens.create.mutate({ name: 'Old', scope: 'read' });
  expect((await call('GET', '/goals', { token: revoked.secret })).status).toBe(200);
  await owner.trpc.tokens.revoke.mutate({ tokenId: revoked.id });
  const expired = await owner.trpc.tokens.create.mutate({ name: 'Brief', scope: 'read', expiresOn: '2100-01-01' });
  await t.sql('update api_tokens set expires_at = ? where id = ?', [new Date('2000-01-01T00:00:00Z'), expired.id]);
  const leaver = await t.activeUser({ email: 'lee@rest.test', name: 'Lee Leaver', password: 'Integrators-2027!' });
  const leaverToken = await leaver.trpc.tokens.create.mutate({ name: 'Script', scope: 'write' });
  expect((await call('GET', '/goals', { token: leaverToken.secret })).status).toBe(200);
  const admin = await t.admin();
  await admin.trpc.users.deactivate.mutate({ userId: (await leaver.trpc.auth.me.query())!.id });
  const answers = await Promise.all(
    [revoked.secret, expired.secret, leaverToken.secret, 'gpat_not-a-token'].map(async (token) => {
      const res = await call('GET', '/goals', { token });
      return [res.status, res.body.code];
    }),
  );
  expect(answers).toEqual(Array.from({ length: 4 }, () => [401, 'UNAUTHORIZED']));
});

it('writes one audit row per write made with a token, naming it, and stamps the last use', async () => {
  const [writeToken] = await t.sql<{ id: string }>("select id from api_tokens where name = 'ERP sync'");
  const before = await t.sql<{ n: string }>("select count(*) as n from audit_events where action = 'api.write'");
  await call('POST', '/notifications/read', { token: tokens.write, body: { notificationIds: [ids.notificationId] } });
  const rows = await t.sql<{ token_id: string; subject_user_id: string; data: unknown; trace_id: string }>(
    "select token_id, subject_user_id, data, trace_id from audit_events where action = 'api.write' order by id desc limit 1",
  );
  const after = await t.sql<{ n: string }>("select count(*) as n from audit_events where action = 'api.write'");
  const used = await t.sql<{ name: string; used: boolean }>(
    "select name, last_used_at is not null as used from api_tokens where name in ('Reporting', 'ERP sync') order by name",
  );
  expect({ added: Number(after[0]!.n) - Number(before[0]!.n), row: rows[0], used }).toEqual({
    added: 1,
    row: {
      token_id: writeToken?.id,
      subject_user_id: ownerId,
      data: { procedure: 'notifications.markRead', method: 'POST', path: '/notifications/read', outcome: 'ok' },
      trace_id: expect.any(String),
    },
    used: [
      { name: 'ERP sync', used: true },
      { name: 'Reporting', used: true },
    ],
  });
});

it('limits each token on its own, with Retry-After', async () => {
  const limited = await startTestApp({ RATE_LIMIT_API_PER_MINUTE: '3' }, { sameDatabaseAs: t });
  try {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${limited.url}/api/v1/goals`, { headers: { Authorization: `Bearer ${tokens.read}` } });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    const other = await fetch(`${limited.url}/api/v1/goals`, { headers: { Authorization: `Bearer ${tokens.write}` } });
    expect({ statuses, retryAfter: Number(retryAfter) > 0, other: other.status }).toEqual({
      statuses: [200, 200, 200, 429],
      retryAfter: true,
      other: 200,
    });
  } finally {
    await limited.close();
  }
});

it('serves the document and the docs page with its viewer from this server', async () => {
  const page = await fetch(`${t.url}/api/docs`);
  const html = await page.text();
  const script = await fetch(`${t.url}/api/docs/scalar.js`);
  expect({
    page: page.status,
    csp: page.headers.get('content-security-policy')?.includes("script-src 'self'"),
    loads:
      html.includes('<script src="/api/docs/scalar.js"></script>') && html.includes('data-url="/api/v1/openapi.json"'),
    script: script.status,
    size: (await script.arrayBuffer()).byteLength > 1_000_000,
    title: doc.info.title,
  }).toEqual({ page: 200, csp: true, loads: true, script: 200, size: true, title: 'Goalpost REST API' });
});
