/** Behaviour the operator tunes; apps/server fills it from the environment (see the README). */
export interface Settings {
  /** Public base URL, used in mailed links and for the CSRF origin check. */
  publicUrl: string;
  production: boolean;
  signupEnabled: boolean;
  lockoutThreshold: number;
  /** Window in which failures count towards a lockout for addresses with no account. */
  unknownEmailLockoutHours: number;
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
  unknownEmailLockoutHours: 24,
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
