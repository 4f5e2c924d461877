import { z } from 'zod';

/** Behaviour the operator tunes; apps/server fills it from the environment (see the README). */
export interface Settings {
  /** Public base URL, used in mailed links and for the CSRF origin check. */
  publicUrl: string;
  /** Origins whose pages may make state-changing calls: PUBLIC_URL's and ALLOWED_ORIGINS (CSRF). */
  allowedOrigins: string[];
  production: boolean;
  signupEnabled: boolean;
  lockoutThreshold: number;
  sessionDays: number;
  resetTokenMinutes: number;
  inviteTokenDays: number;
  passwordMinLength: number;
  loginLimitPerIp: number;
  loginLimitPerAccount: number;
  resetLimitPerIp: number;
  resetLimitPerAccount: number;
  rateLimitWindowSeconds: number;
  /** Requests one personal access token may make per minute on /api/v1. */
  apiRequestsPerMinute: number;
  bulkMaxRows: number;
  mailFrom: string;
  smtpConfigured: boolean;
  /** Largest budget import file, in bytes (uploads and Google Sheets downloads). */
  importMaxBytes: number;
  /** Most data rows in one imported sheet. */
  importMaxRows: number;
  /** Where link-shared Google Sheets are exported from; tests point it at a local server. */
  googleSheetsExportBaseUrl: string;
  /** The Google Sheets API v4 base URL; tests point it at a local server. */
  googleSheetsApiBaseUrl: string;
  /** An API key for reading sheets through the API; null reads only link-shared sheets or with a user's token. */
  googleApiKey: string | null;
  /** Kafka brokers for the event bus; empty: the bus runs on pg-boss. */
  kafkaBrokers: string[];
  /** A budget waiting for approval first reminds its approvers after this many hours… */
  approvalRemindAfterHours: number;
  /** …then every this many hours… */
  approvalRemindEveryHours: number;
  /** …and after this many reminders also tells the owner's supervisor (once). */
  approvalEscalateAfter: number;
  /** Local hour (0–23, the recipient's time zone) at which daily digests are mailed. */
  digestHour: number;
}

export const defaultSettings: Settings = {
  publicUrl: 'http://localhost:3000',
  allowedOrigins: ['http://localhost:3000'],
  production: false,
  signupEnabled: false,
  lockoutThreshold: 5,
  sessionDays: 30,
  resetTokenMinutes: 30,
  inviteTokenDays: 7,
  passwordMinLength: 10,
  loginLimitPerIp: 50,
  loginLimitPerAccount: 10,
  resetLimitPerIp: 20,
  resetLimitPerAccount: 5,
  rateLimitWindowSeconds: 900,
  apiRequestsPerMinute: 600,
  bulkMaxRows: 50_000,
  mailFrom: 'Goalpost <no-reply@goalpost.local>',
  smtpConfigured: false,
  importMaxBytes: 20 * 1024 * 1024,
  importMaxRows: 200_000,
  googleSheetsExportBaseUrl: 'https://docs.google.com',
  googleSheetsApiBaseUrl: 'https://sheets.googleapis.com',
  googleApiKey: null,
  kafkaBrokers: [],
  approvalRemindAfterHours: 48,
  approvalRemindEveryHours: 24,
  approvalEscalateAfter: 3,
  digestHour: 8,
};

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** The Vite dev server (`npm run dev:web`), whose proxy forwards the browser's Origin unchanged. */
const DEV_SERVER_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/** A comma-separated list of origins (scheme://host[:port]), each checked and normalised. */
const originList = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin. Write scheme://host[:port] with no path, like https://goalpost.example.com.`,
      });
    } else origins.push(url.origin);
  }
  return origins;
});

/**
 * Production sessions use Secure cookies, which browsers keep for https sites only, and for
 * loopback addresses, which they treat as secure (a local production-like stack).
 */
function assertSecureOrigin(variable: string, origin: string): void {
  const { protocol, hostname } = new URL(origin);
  const loopback = hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
  if (protocol !== 'https:' && !loopback) {
    throw new Error(
      `${variable} must use https when NODE_ENV=production (got ${origin}): browsers keep Secure session cookies for https sites only.`,
    );
  }
}

/** An empty variable (a chart's `value: ""`) means unset. */
function blankIsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

/** The environment variables behind Settings; each app's config module extends this. */
export const settingsEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PUBLIC_URL: z.url().optional(),
  ALLOWED_ORIGINS: originList.optional(),
  SIGNUP_ENABLED: flag.default(false),
  LOCKOUT_THRESHOLD: count(defaultSettings.lockoutThreshold),
  SESSION_DAYS: count(defaultSettings.sessionDays),
  RESET_TOKEN_MINUTES: count(defaultSettings.resetTokenMinutes),
  INVITE_TOKEN_DAYS: count(defaultSettings.inviteTokenDays),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).default(defaultSettings.passwordMinLength),
  RATE_LIMIT_LOGIN_PER_IP: count(defaultSettings.loginLimitPerIp),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: count(defaultSettings.loginLimitPerAccount),
  RATE_LIMIT_RESET_PER_IP: count(defaultSettings.resetLimitPerIp),
  RATE_LIMIT_RESET_PER_ACCOUNT: count(defaultSettings.resetLimitPerAccount),
  RATE_LIMIT_WINDOW_SECONDS: count(defaultSettings.rateLimitWindowSeconds),
  RATE_LIMIT_API_PER_MINUTE: count(defaultSettings.apiRequestsPerMinute),
  BULK_MAX_ROWS: count(defaultSettings.bulkMaxRows),
  MAIL_FROM: z.string().min(3).default(defaultSettings.mailFrom),
  SMTP_URL: z.url().optional(),
  IMPORT_MAX_BYTES: count(defaultSettings.importMaxBytes),
  IMPORT_MAX_ROWS: count(defaultSettings.importMaxRows),
  GOOGLE_SHEETS_EXPORT_BASE_URL: z.url().default(defaultSettings.googleSheetsExportBaseUrl),
  GOOGLE_SHEETS_API_BASE_URL: z.url().default(defaultSettings.googleSheetsApiBaseUrl),
  GOOGLE_API_KEY: z.string().min(1).optional(),
  /** host:port,host:port */
  KAFKA_BROKERS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  APPROVAL_REMIND_AFTER_HOURS: count(defaultSettings.approvalRemindAfterHours),
  APPROVAL_REMIND_EVERY_HOURS: count(defaultSettings.approvalRemindEveryHours),
  APPROVAL_ESCALATE_AFTER: count(defaultSettings.approvalEscalateAfter),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(defaultSettings.digestHour),
  /** GET /metrics answers only `Authorization: Bearer <this>` when set. */
  METRICS_TOKEN: blankIsUnset(z.string().min(16, 'METRICS_TOKEN must be at least 16 characters.').optional()),
  /** Serve /metrics on this port (on HOST) only, apart from the traffic port; 0 picks a free one. */
  METRICS_PORT: blankIsUnset(z.coerce.number().int().min(0).max(65535).optional()),
  /** OTLP/HTTP collector (`http://otel-collector:4318`): traces are exported there. Unset: no tracing SDK. */
  OTEL_EXPORTER_OTLP_ENDPOINT: blankIsUnset(z.url().optional()),
  /** The service name on exported spans (default goalpost-server / goalpost-jobs). */
  OTEL_SERVICE_NAME: blankIsUnset(z.string().min(1).optional()),
});

export function settingsFrom(env: z.infer<typeof settingsEnv>, fallbackPublicUrl: string): Settings {
  if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
    // Mailed links and the CSRF check need the address people use, which a server cannot guess.
    throw new Error('PUBLIC_URL is required when NODE_ENV=production (for example https://goalpost.example.com).');
  }
  const production = env.NODE_ENV === 'production';
  const publicUrl = env.PUBLIC_URL ?? fallbackPublicUrl;
  const extraOrigins = env.ALLOWED_ORIGINS ?? (production ? [] : DEV_SERVER_ORIGINS);
  if (production) {
    assertSecureOrigin('PUBLIC_URL', publicUrl);
    for (const origin of extraOrigins) assertSecureOrigin('ALLOWED_ORIGINS', origin);
  }
  return {
    publicUrl,
    allowedOrigins: [...new Set([new URL(publicUrl).origin, ...extraOrigins])],
    production,
    signupEnabled: env.SIGNUP_ENABLED,
    lockoutThreshold: env.LOCKOUT_THRESHOLD,
    sessionDays: env.SESSION_DAYS,
    resetTokenMinutes: env.RESET_TOKEN_MINUTES,
    inviteTokenDays: env.INVITE_TOKEN_DAYS,
    passwordMinLength: env.PASSWORD_MIN_LENGTH,
    loginLimitPerIp: env.RATE_LIMIT_LOGIN_PER_IP,
    loginLimitPerAccount: env.RATE_LIMIT_LOGIN_PER_ACCOUNT,
    resetLimitPerIp: env.RATE_LIMIT_RESET_PER_IP,
    resetLimitPerAccount: env.RATE_LIMIT_RESET_PER_ACCOUNT,
    rateLimitWindowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    apiRequestsPerMinute: env.RATE_LIMIT_API_PER_MINUTE,
    bulkMaxRows: env.BULK_MAX_ROWS,
    mailFrom: env.MAIL_FROM,
    smtpConfigured: Boolean(env.SMTP_URL),
    importMaxBytes: env.IMPORT_MAX_BYTES,
    importMaxRows: env.IMPORT_MAX_ROWS,
    googleSheetsExportBaseUrl: env.GOOGLE_SHEETS_EXPORT_BASE_URL,
    googleSheetsApiBaseUrl: env.GOOGLE_SHEETS_API_BASE_URL,
    googleApiKey: env.GOOGLE_API_KEY ?? null,
    kafkaBrokers: env.KAFKA_BROKERS,
    approvalRemindAfterHours: env.APPROVAL_REMIND_AFTER_HOURS,
    approvalRemindEveryHours: env.APPROVAL_REMIND_EVERY_HOURS,
    approvalEscalateAfter: env.APPROVAL_ESCALATE_AFTER,
    digestHour: env.DIGEST_HOUR,
  };
}
