/**
 * The Google Sheets client against a local node:http server that answers as Google documents it:
 * the export endpoint (CSV for a link-shared sheet; a redirect to an HTML sign-in page for a
 * private one), and the Sheets API v4 (`spreadsheets.get`, `spreadsheets.values.get` with
 * UNFORMATTED_VALUE, errors as `{ "error": { "code", "message", "status", "details" } }`). Retries
 * record their delays through the injected sleep instead of waiting.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outline } from './corpus.ts';
import { fetchGoogleSheet, type GoogleFetchOptions, type GoogleSheetsConfig, parseSheetLink } from './google.ts';
import { ImportRefused } from './limits.ts';
import { parseImport } from './parse.ts';

const SHARED = '1SharedSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123';
const PRIVATE = '1PrivateSheetAbCdEfGhIjKlMnOpQrStUvWxYz012';
const BUSY = '1BusySheetAbCdEfGhIjKlMnOpQrStUvWxYz0123456';
const QUOTA = '1QuotaSheetAbCdEfGhIjKlMnOpQrStUvWxYz012345';
const GONE = '1GoneSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123456';

const googleError = (code: number, status: string, message: string, reason?: string) => ({
  error: {
    code,
    message,
    status,
    ...(reason
      ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com' }] }
      : {}),
  },
});

let server: Server;
let base: string;
const requests: string[] = [];
let busyCalls = 0;

function answer(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://local');
  requests.push(`${req.method} ${url.pathname}${url.search}${req.headers.authorization ? ' (bearer)' : ''}`);
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const path = decodeURIComponent(url.pathname);
  if (path === `/spreadsheets/d/${SHARED}/export`) {
    res.writeHead(200, { 'content-type': 'text/csv' });
    return res.end('Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,"1,200.00",980.50\r\n');
  }
  if (path === `/spreadsheets/d/${PRIVATE}/export`) {
    res.writeHead(302, { location: `/ServiceLogin?continue=${encodeURIComponent(url.href)}` });
    return res.end();
  }
  if (path === '/ServiceLogin') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(
      '<!DOCTYPE html><html><head><title>Google Sheets: Sign-in</title></head><body>Sign in</body></html>',
    );
  }
  if (path === `/spreadsheets/d/${GONE}/export`) {
    res.writeHead(404, { 'content-type': 'text/html' });
    return res.end('<html><body>Sorry, unable to open the file at this time.</body></html>');
  }
  const key = url.searchParams.get('key');
  const bearer = req.headers.authorization === 'Bearer good-token';
  if (key === 'bad-key') {
    return json(
      400,
      googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID'),
    );
  }
  if (path === `/v4/spreadsheets/${BUSY}`) {
    busyCalls += 1;
    if (busyCalls <= 2) {
      return json(429, googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests'."), {
        'retry-after': '7',
      });
    }
  }
  if (path.startsWith(`/v4/spreadsheets/${QUOTA}`)) {
    return json(429, googleError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Read requests'."));
  }
  if (path.startsWith(`/v4/spreadsheets/${GONE}`)) {
    return json(404, googleError(404, 'NOT_FOUND', 'Requested entity was not found.'));
  }
  if (path.startsWith(`/v4/spreadsheets/${PRIVATE}`) && !bearer && key !== 'good-key') {
    return json(403, googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
  }
  if (path === `/v4/spreadsheets/${PRIVATE}` || path === `/v4/spreadsheets/${BUSY}`) {
    return json(200, {
      properties: { title: 'Budget 2027' },
      sheets: [
        { properties: { sheetId: 0, title: 'Notes', index: 0, hidden: true, sheetType: 'GRID' } },
        { properties: { sheetId: 1, title: 'Chart', index: 1, sheetType: 'OBJECT' } },
        { properties: { sheetId: 812, title: "Q1 'plan'", index: 2, sheetType: 'GRID' } },
      ],
    });
  }
  if (
    path === `/v4/spreadsheets/${PRIVATE}/values/'Q1 ''plan'''` ||
    path === `/v4/spreadsheets/${BUSY}/values/'Q1 ''plan'''`
  ) {
    return json(200, {
      range: "'Q1 ''plan'''!A1:Z1000",
      majorDimension: 'ROWS',
      values: [
        ['Budget Q1'],
        [],
        ['Category', 'Description', 46388, 46419, 'Total'],
        ['Travel', 'Flights', 1200, 980.5, 2180.5],
        ['Travel', 'Taxis', '#DIV/0!', 12.3],
      ],
    });
  }
  json(404, googleError(404, 'NOT_FOUND', 'Requested entity was not found.'));
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const config = (apiKey: string | null = null): GoogleSheetsConfig => ({
  exportBaseUrl: base,
  apiBaseUrl: base,
  apiKey,
});
const link = (id: string, gid = '0') => `https://docs.google.com/spreadsheets/d/${id}/edit?usp=sharing#gid=${gid}`;

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof ImportRefused ? `${error.code}: ${error.message}` : error;
}

describe('Google Sheets links', () => {
  it('parses sheet links into spreadsheet id and tab, and refuses anything else', async () => {
    expect({
      edit: parseSheetLink(link(SHARED, '812')),
      noTab: parseSheetLink(`https://docs.google.com/spreadsheets/d/${SHARED}/`),
      published: parseSheetLink('https://docs.google.com/spreadsheets/d/e/2PACX-1vTabcdefghijklmnop/pubhtml?gid=5'),
      bare: parseSheetLink(SHARED),
      other: await refusal(
        Promise.resolve().then(() => parseSheetLink('https://evil.example/spreadsheets/d/abcdefghijk')),
      ),
    }).toEqual({
      edit: { spreadsheetId: SHARED, gid: 812, published: false },
      noTab: { spreadsheetId: SHARED, gid: null, published: false },
      published: { spreadsheetId: '2PACX-1vTabcdefghijklmnop', gid: 5, published: true },
      bare: { spreadsheetId: SHARED, gid: null, published: false },
      other:
        'google-link: This is not a Google Sheets link. Open the sheet and copy its address; it looks like https://docs.google.com/spreadsheets/d/…/edit#gid=0.',
    });
  });

  it('reads a link-shared sheet through its CSV export, and says when a sheet is private or gone', async () => {
    requests.length = 0;
    const options: GoogleFetchOptions = { maxBytes: 1_000_000 };
    const source = await fetchGoogleSheet(link(SHARED, '0'), config(), options);
    const parsed = await parseImport(source, { currency: 'EUR', granularity: 'monthly', locale: 'en-US' });
    expect({
      lines: outline(parsed).lines,
      requests: [...requests],
      private: await refusal(fetchGoogleSheet(link(PRIVATE), config(), options)),
      gone: await refusal(fetchGoogleSheet(link(GONE), config(), options)),
      tooLarge: await refusal(fetchGoogleSheet(link(SHARED), config(), { maxBytes: 20 })),
    }).toEqual({
      lines: [[2, 'Travel', 'Flights', { '2027-01': '1200.00', '2027-02': '980.50' }]],
      requests: [`GET /spreadsheets/d/${SHARED}/export?format=csv&gid=0`],
      private:
        'google-no-access: Google answered with its sign-in page: this sheet is not shared by link. In Google Sheets, choose Share → General access → "Anyone with the link" (Viewer), or sign in with Google here so it can be read with your access.',
      gone: 'google-not-found: No spreadsheet was found at this link. It may have been deleted, or the link is incomplete: copy it again from the address bar.',
      tooLarge: 'too-large: The sheet is larger than 20 bytes. Copy the budget into a smaller sheet, or split it.',
    });
  });

  it('reads a private sheet through the Sheets API with a token or a key, typed values and all', async () => {
    requests.length = 0;
    const withToken = await fetchGoogleSheet(link(PRIVATE, '812'), config(), {
      maxBytes: 1_000_000,
      accessToken: 'good-token',
    });
    const parsed = await parseImport(withToken, { currency: 'EUR', granularity: 'monthly', locale: 'en-US' });
    const withKey = await fetchGoogleSheet(
      `https://docs.google.com/spreadsheets/d/${PRIVATE}/edit`,
      config('good-key'),
      {
        maxBytes: 1_000_000,
      },
    );
    expect({
      outline: outline(parsed),
      sheets: parsed.sheets,
      keySheet: withKey.kind === 'rows' ? withKey.sheet : null,
      requests: [...requests],
    }).toEqual({
      outline: {
        ok: false,
        format: 'rows',
        sheet: "Q1 'plan'",
        headerRow: 3,
        mapping: {
          category: 1,
          description: 2,
          notes: null,
          periods: ['3:2027-01', '4:2027-02'],
          totalColumns: ['5:2'],
        },
        lines: [
          [4, 'Travel', 'Flights', { '2027-01': '1200.00', '2027-02': '980.50' }],
          [5, 'Travel', 'Taxis', { '2027-02': '12.30' }],
        ],
        totalRows: [],
        mismatches: [],
        rejected: ["'Q1 ''plan'''!C5 error-value \"#DIV/0!\""],
        problems: [],
        warnings: [],
        stats: { rows: 2, lines: 2, cells: 3, rejectedCells: 1, blankRows: 0, totalRows: 0, headings: 0 },
      },
      sheets: [
        { name: 'Notes', hidden: true },
        { name: "Q1 'plan'", hidden: false },
      ],
      keySheet: "Q1 'plan'",
      requests: [
        `GET /v4/spreadsheets/${PRIVATE}?fields=properties.title%2Csheets.properties(sheetId%2Ctitle%2Cindex%2Chidden%2CsheetType) (bearer)`,
        `GET /v4/spreadsheets/${PRIVATE}/values/'Q1%20''plan'''?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER (bearer)`,
        `GET /v4/spreadsheets/${PRIVATE}?fields=properties.title%2Csheets.properties(sheetId%2Ctitle%2Cindex%2Chidden%2CsheetType)&key=good-key`,
        `GET /v4/spreadsheets/${PRIVATE}/values/'Q1%20''plan'''?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER&key=good-key`,
      ],
    });
  });

  it('explains 403, 404 and a bad key, and retries 429 with backoff honouring Retry-After before giving up', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    busyCalls = 0;
    const busy = await fetchGoogleSheet(link(BUSY, '812'), config('good-key'), { maxBytes: 1_000_000, sleep });
    const busyWaits = waits.splice(0);
    const quota = await refusal(fetchGoogleSheet(link(QUOTA), config('good-key'), { maxBytes: 1_000_000, sleep }));
    expect({
      busy: [busy.kind, busyWaits],
      quota: [quota, waits],
      denied: await refusal(fetchGoogleSheet(link(PRIVATE), config('other-key'), { maxBytes: 1_000_000 })),
      missing: await refusal(fetchGoogleSheet(link(GONE), config('good-key'), { maxBytes: 1_000_000 })),
      badKey: await refusal(fetchGoogleSheet(link(PRIVATE), config('bad-key'), { maxBytes: 1_000_000 })),
    }).toEqual({
      busy: ['rows', [7000, 7000]],
      quota: [
        "google-rate-limited: Google is limiting requests to Sheets (Google: Quota exceeded for quota metric 'Read requests'.). Try again in a minute.",
        [1000, 2000, 4000],
      ],
      denied:
        'google-no-access: Google says this account or key has no access to the spreadsheet (Google: The caller does not have permission). Share it with the account you signed in with (or "Anyone with the link", Viewer), then retry.',
      missing:
        'google-not-found: No spreadsheet was found at this link (Google: Requested entity was not found.). It may have been deleted, or the link is incomplete: copy it again from the address bar.',
      badKey:
        'google-no-access: The Google API key in the configuration is not valid (Google: API key not valid. Please pass a valid API key.).',
    });
  });
});
