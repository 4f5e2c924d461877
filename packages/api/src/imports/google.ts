/**
 * Reading a budget from a Google Sheets link. The link is only parsed for its spreadsheet id and
 * tab (gid); requests go to the configured base URLs, never to the pasted URL itself, so a link
 * cannot send the server anywhere else (and tests point the bases at a local server).
 *
 * - A link-shared sheet ("Anyone with the link can view") is downloaded through its export,
 *   `/spreadsheets/d/{id}/export?format=csv&gid={gid}` (or `format=xlsx` for the whole workbook);
 *   a "published to the web" link (`/d/e/{id}`) through `/pub?output=csv`. A private sheet answers
 *   the export with Google's sign-in page (HTML after a redirect), which is reported as such.
 * - With an OAuth access token (the person's) or an API key (configuration), the Sheets API v4 is
 *   used instead: `spreadsheets.get` for the tab names, then `spreadsheets.values.get` with
 *   UNFORMATTED_VALUE, so numbers arrive as numbers and dates as serial numbers, not as text in the
 *   sheet's display format.
 *
 * Errors follow Google's shape, `{ "error": { "code", "message", "status" } }`: 401/403 (no access:
 * say how to share it or sign in), 404, and 429/5xx, retried a few times with exponential backoff,
 * honouring Retry-After, then reported. The download is bounded by the import size limit.
 */
import { circuitBreaker } from '../platform/breaker.ts';
import type { Settings } from '../settings.ts';
import type { CellValue, SheetRow } from './cells.ts';
import { ImportRefused, readableSize } from './limits.ts';
import type { ImportSource } from './parse.ts';

export interface GoogleSheetsConfig {
  exportBaseUrl: string;
  apiBaseUrl: string;
  apiKey: string | null;
}

export function googleSheetsConfig(settings: Settings): GoogleSheetsConfig {
  return {
    exportBaseUrl: settings.googleSheetsExportBaseUrl,
    apiBaseUrl: settings.googleSheetsApiBaseUrl,
    apiKey: settings.googleApiKey,
  };
}

export interface SheetLink {
  spreadsheetId: string;
  /** The tab: `gid` of the link, null when it names none (the first tab). */
  gid: number | null;
  /** A "published to the web" link (`/d/e/…`): readable only through its published export. */
  published: boolean;
}

/** `https://docs.google.com/spreadsheets/d/{id}/edit#gid=123` and its variants, or a bare id. */
export function parseSheetLink(link: string): SheetLink {
  const text = link.trim();
  if (/^[A-Za-z0-9_-]{25,}$/.test(text)) return { spreadsheetId: text, gid: null, published: false };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw linkRefusal();
  }
  const match = /^\/spreadsheets\/d\/(e\/)?([A-Za-z0-9_-]{10,})/.exec(url.pathname);
  if (url.protocol !== 'https:' || url.hostname !== 'docs.google.com' || !match) throw linkRefusal();
  const gid = /(?:^|[#&?])gid=(\d+)/.exec(`${url.search}${url.hash}`)?.[1];
  return { spreadsheetId: match[2]!, gid: gid === undefined ? null : Number(gid), published: Boolean(match[1]) };
}

function linkRefusal() {
  return new ImportRefused(
    'google-link',
    'This is not a Google Sheets link. Open the sheet and copy its address; it looks like https://docs.google.com/spreadsheets/d/…/edit#gid=0.',
  );
}

export interface GoogleFetchOptions {
  /** The person's OAuth access token (scope spreadsheets.readonly or drive.readonly). */
  accessToken?: string;
  /** Export format of a link-shared sheet: one tab as CSV (default), or the workbook as xlsx. */
  format?: 'csv' | 'xlsx';
  /** Through the API: the tab to read, by title (default: the link's gid, else the first visible tab). */
  sheet?: string;
  maxBytes: number;
  /** Retries after a 429 or 5xx (default 3). */
  retries?: number;
  /** Waits between retries; tests record the delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Now, in ms since the epoch, for Retry-After dates (pass the services' clock). */
  now?: () => number;
}

/** Longest Retry-After honoured; a longer one is reported at once rather than waited for. */
const MAX_WAIT_MS = 60_000;

/**
 * Every download from Google goes through one circuit breaker per process: when Google cannot be
 * reached (network errors, no answer within 60 s), later imports fail at once with the same
 * "could not be reached" refusal instead of each waiting, until a trial call gets through.
 */
const googleFetch = circuitBreaker('google', (url: string, init: RequestInit) => fetch(url, init), {
  timeoutMs: 60_000,
});

export async function fetchGoogleSheet(
  link: string,
  config: GoogleSheetsConfig,
  options: GoogleFetchOptions,
): Promise<ImportSource> {
  const sheet = parseSheetLink(link);
  const client = new GoogleClient(config, options);
  if (!sheet.published && (options.accessToken || config.apiKey)) return client.viaApi(sheet);
  return client.viaExport(sheet);
}

interface SheetProperties {
  sheetId: number;
  title: string;
  index?: number;
  hidden?: boolean;
  sheetType?: string;
}

class GoogleClient {
  private readonly config: GoogleSheetsConfig;
  private readonly options: GoogleFetchOptions;
  constructor(config: GoogleSheetsConfig, options: GoogleFetchOptions) {
    this.config = config;
    this.options = options;
  }

  async viaExport(sheet: SheetLink): Promise<ImportSource> {
    const format = this.options.format ?? 'csv';
    const base = this.config.exportBaseUrl.replace(/\/$/, '');
    const gid = sheet.gid ?? 0;
    const url = sheet.published
      ? `${base}/spreadsheets/d/e/${sheet.spreadsheetId}/pub?output=${format}${sheet.gid === null ? '' : `&gid=${gid}&single=true`}`
      : `${base}/spreadsheets/d/${sheet.spreadsheetId}/export?format=${format}&gid=${gid}`;
    const response = await this.request(url, {}, 'export');
    const bytes = await this.body(response);
    const type = response.headers.get('content-type') ?? '';
    const start = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
    if (/text\/html/i.test(type) || start.startsWith('<!doctype html') || start.startsWith('<html')) {
      throw new ImportRefused(
        'google-no-access',
        'Google answered with its sign-in page: this sheet is not shared by link. In Google Sheets, choose Share → General access → "Anyone with the link" (Viewer), or sign in with Google here so it can be read with your access.',
      );
    }
    return { kind: 'file', bytes, name: `google-sheet.${format}`, contentType: type };
  }

  async viaApi(sheet: SheetLink): Promise<ImportSource> {
    const base = `${this.config.apiBaseUrl.replace(/\/$/, '')}/v4/spreadsheets/${encodeURIComponent(sheet.spreadsheetId)}`;
    const meta = (await this.json(
      await this.request(
        this.withKey(
          `${base}?fields=${encodeURIComponent('properties.title,sheets.properties(sheetId,title,index,hidden,sheetType)')}`,
        ),
        this.auth(),
        'api',
      ),
    )) as { sheets?: { properties?: SheetProperties }[] };
    const tabs = (meta.sheets ?? [])
      .map((s) => s.properties)
      .filter((p): p is SheetProperties => Boolean(p) && (p?.sheetType ?? 'GRID') === 'GRID');
    const list = () => tabs.map((t) => `"${t.title}"`).join(', ');
    let tab: SheetProperties | undefined;
    if (this.options.sheet !== undefined) {
      tab = tabs.find((t) => t.title === this.options.sheet);
      if (!tab)
        throw new ImportRefused('no-sheet', `The spreadsheet has no tab "${this.options.sheet}". Its tabs: ${list()}.`);
    } else if (sheet.gid !== null) {
      tab = tabs.find((t) => t.sheetId === sheet.gid);
      if (!tab) throw new ImportRefused('no-sheet', `The link names a tab that no longer exists. Its tabs: ${list()}.`);
    } else {
      tab = tabs.find((t) => !t.hidden) ?? tabs[0];
    }
    if (!tab) throw new ImportRefused('no-sheet', 'The spreadsheet has no tabs with cells.');
    const range = encodeURIComponent(`'${tab.title.replaceAll("'", "''")}'`);
    const values = (await this.json(
      await this.request(
        this.withKey(
          `${base}/values/${range}?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER`,
        ),
        this.auth(),
        'api',
      ),
    )) as { values?: unknown[][] };
    return {
      kind: 'rows',
      sheet: tab.title,
      sheets: tabs.map((t) => ({ name: t.title, hidden: Boolean(t.hidden) })),
      rows: valuesToRows(values.values ?? []),
    };
  }

  private withKey(url: string): string {
    if (this.options.accessToken || !this.config.apiKey) return url;
    return `${url}&key=${encodeURIComponent(this.config.apiKey)}`;
  }

  private auth(): Record<string, string> {
    return this.options.accessToken ? { authorization: `Bearer ${this.options.accessToken}` } : {};
  }

  private async request(url: string, headers: Record<string, string>, via: 'export' | 'api'): Promise<Response> {
    const retries = this.options.retries ?? 3;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await googleFetch.fire(url, { headers, redirect: 'follow' });
      } catch (error) {
        throw new ImportRefused('google-failed', 'Google Sheets could not be reached. Try again in a moment.', {
          cause: error,
        });
      }
      if (response.ok) return response;
      const retriable = response.status === 429 || response.status >= 500;
      if (retriable && attempt < retries) {
        const wait = this.retryAfter(response) ?? 1000 * 2 ** attempt;
        if (wait <= MAX_WAIT_MS) {
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      throw await this.failure(response, via);
    }
  }

  private async failure(response: Response, via: 'export' | 'api'): Promise<ImportRefused> {
    const text = await response.text().catch(() => '');
    let google: { message?: string; status?: string; details?: { reason?: string }[] } = {};
    try {
      google = (JSON.parse(text) as { error?: typeof google }).error ?? {};
    } catch {
      // The export answers errors with HTML pages, not JSON.
    }
    const said = google.message ? ` (Google: ${google.message})` : '';
    const reason = google.details?.map((d) => d.reason).find(Boolean);
    switch (response.status) {
      case 400:
        if (reason === 'API_KEY_INVALID') {
          return new ImportRefused('google-no-access', `The Google API key in the configuration is not valid${said}.`);
        }
        break;
      case 401:
        return new ImportRefused(
          'google-no-access',
          `Google did not accept the sign-in${said}. Sign in with Google again, then retry.`,
        );
      case 403:
        return new ImportRefused(
          'google-no-access',
          via === 'api'
            ? `Google says this account or key has no access to the spreadsheet${said}. Share it with the account you signed in with (or "Anyone with the link", Viewer), then retry.`
            : `Google refused the download${said}. Share the sheet as "Anyone with the link" (Viewer), or sign in with Google here.`,
        );
      case 404:
        return new ImportRefused(
          'google-not-found',
          `No spreadsheet was found at this link${said}. It may have been deleted, or the link is incomplete: copy it again from the address bar.`,
        );
      case 429: {
        const wait = this.retryAfter(response);
        return new ImportRefused(
          'google-rate-limited',
          `Google is limiting requests to Sheets${said}. Try again ${wait && wait > MAX_WAIT_MS ? `in about ${Math.ceil(wait / 60_000)} minutes` : 'in a minute'}.`,
        );
      }
    }
    return new ImportRefused(
      'google-failed',
      `Google Sheets answered with an error (HTTP ${response.status}${google.status ? ` ${google.status}` : ''})${said}. Try again later.`,
    );
  }

  /** Retry-After in milliseconds: seconds, or an HTTP date. */
  private retryAfter(response: Response): number | null {
    const header = response.headers.get('retry-after')?.trim();
    if (!header) return null;
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const at = Date.parse(header);
    return Number.isNaN(at) ? null : Math.max(0, at - (this.options.now ?? Date.now)());
  }

  /** The body, read up to the size limit. */
  private async body(response: Response): Promise<Uint8Array> {
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > this.options.maxBytes) throw tooLarge(this.options.maxBytes);
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (!response.body) return new Uint8Array();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > this.options.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw tooLarge(this.options.maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  private async json(response: Response): Promise<unknown> {
    const bytes = await this.body(response);
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new ImportRefused('google-failed', 'Google Sheets sent an answer that is not JSON. Try again later.', {
        cause: error,
      });
    }
  }
}

function tooLarge(limit: number) {
  return new ImportRefused(
    'too-large',
    `The sheet is larger than ${readableSize(limit)}. Copy the budget into a smaller sheet, or split it.`,
  );
}

const ERROR_VALUE = /^#(DIV\/0!|N\/A|REF!|VALUE!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!)$/;

/** `values.get` rows (trailing empty cells and rows left out by Google) as sheet rows. */
export function valuesToRows(values: unknown[][]): SheetRow[] {
  return values.map((row, i) => {
    const cells: (CellValue | undefined)[] = [undefined];
    for (const value of row) {
      if (typeof value === 'number') cells.push({ type: 'number', value });
      else if (typeof value === 'boolean') cells.push({ type: 'boolean', value });
      else if (typeof value === 'string' && value !== '') {
        cells.push(ERROR_VALUE.test(value) ? { type: 'error', error: value } : { type: 'text', text: value });
      } else cells.push(undefined);
    }
    return { row: i + 1, cells };
  });
}
