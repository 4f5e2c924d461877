import { hash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** 160 random bits, base32: the secret a cookie or a mailed link carries. */
export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database keeps instead of the token: its SHA-256, hex (one-shot: every request hashes one). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
