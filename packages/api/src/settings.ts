import { z } from 'zod';

/** Behaviour the operator tunes; apps/server fills it from the environment (see the README). */
export interface Settings {
  /** Public base URL, used in mailed links and for the CSRF origin check. */
  publicUrl: string;
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
  bulkMaxRows: number;
  mailFrom: string;
  smtpConfigured: boolean;
}

export const defaultSettings: Settings = {
  publicUrl: 'http://localhost:3000',
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
  bulkMaxRows: 50_000,
  mailFrom: 'Goalpost <no-reply@goalpost.local>',
  smtpConfigured: false,
};

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** The environment variables behind Settings; each app's config module extends this. */
export const settingsEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PUBLIC_URL: z.url().optional(),
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
  BULK_MAX_ROWS: count(defaultSettings.bulkMaxRows),
  MAIL_FROM: z.string().min(3).default(defaultSettings.mailFrom),
  SMTP_URL: z.url().optional(),
});

export function settingsFrom(env: z.infer<typeof settingsEnv>, fallbackPublicUrl: string): Settings {
  if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
    // Mailed links and the CSRF check need the address people use, which a server cannot guess.
    throw new Error('PUBLIC_URL is required when NODE_ENV=production (for example https://goalpost.example.com).');
  }
  return {
    publicUrl: env.PUBLIC_URL ?? fallbackPublicUrl,
    production: env.NODE_ENV === 'production',
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
    bulkMaxRows: env.BULK_MAX_ROWS,
    mailFrom: env.MAIL_FROM,
    smtpConfigured: Boolean(env.SMTP_URL),
  };
}
