/**
 * What an upload may cost us, and the one error that says a file cannot be read at all. Limits are
 * checked before the expensive step they protect: the byte size before sniffing, an xlsx's central
 * directory (entry count, declared uncompressed sizes) before anything is inflated, the row count
 * while rows stream. A refused file yields no partial result: the refusal's message tells the
 * person what to do, and its code lets the UI and the job branch on it.
 */

export interface ImportLimits {
  /** Largest upload or download, in bytes. */
  maxBytes: number;
  /** Most data rows (below the header row) in one sheet, blank rows not counted. */
  maxRows: number;
  /** Most entries in an xlsx's zip central directory. */
  maxZipEntries: number;
  /** Largest sum of the declared uncompressed sizes of an xlsx's entries. */
  maxUncompressedBytes: number;
  /** Largest shared-strings part: it is held in memory while the sheet streams. */
  maxSharedStringsBytes: number;
  /** Most rejected cells listed one by one; the count goes on past it. */
  maxRejectedListed: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 200_000,
  maxZipEntries: 1_000,
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxSharedStringsBytes: 64 * 1024 * 1024,
  maxRejectedListed: 10_000,
};

export type RefusalCode =
  | 'too-large'
  | 'too-many-rows'
  | 'zip-too-many-entries'
  | 'zip-too-large'
  | 'unknown-type'
  | 'not-xlsx'
  | 'legacy-xls'
  | 'password-protected'
  | 'corrupt'
  | 'external-links'
  | 'no-sheet'
  | 'empty'
  | 'json-invalid'
  | 'google-no-access'
  | 'google-not-found'
  | 'google-rate-limited'
  | 'google-failed'
  | 'google-link';

/** The file (or sheet link) cannot be imported at all; `message` is for the person who gave it. */
export class ImportRefused extends Error {
  readonly code: RefusalCode;
  constructor(code: RefusalCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImportRefused';
    this.code = code;
  }
}

/** 20971520 -> "20 MB", as a person reads sizes. */
export function readableSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/**
 * The largest REST request body (POST /api/v1/imports): a file at the upload limit as base64 (4
 * characters for every 3 bytes, padded) and room for the request around it, so every file within
 * the limit reaches the service, which measures the decoded bytes and refuses a larger one by name.
 */
export function restBodyLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 1024 * 1024;
}

/** The limits an operator sets (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS); the rest keep their defaults. */
export function importLimits(settings: { importMaxBytes: number; importMaxRows: number }): Partial<ImportLimits> {
  return { maxBytes: settings.importMaxBytes, maxRows: settings.importMaxRows };
}

export function withLimits(limits: Partial<ImportLimits> | undefined): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...limits };
}
