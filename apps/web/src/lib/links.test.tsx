import { describe, expect, it } from 'vitest';
import { extractLinks, safeNext } from './links.ts';

describe('extractLinks', () => {
  it('finds the invite link in a mail body', () => {
    const text =
      'Hello Ada,\n\nSet your password to start:\nhttp://localhost:3000/accept-invite?token=abc_DEF-123\n\nThe link works once.';
    expect(extractLinks(text)).toEqual(['http://localhost:3000/accept-invite?token=abc_DEF-123']);
  });

  it('drops sentence punctuation and brackets, and repeats', () => {
    expect(
      extractLinks('See https://example.com/a. Or (https://example.com/b) and https://example.com/a, again.'),
    ).toEqual(['https://example.com/a', 'https://example.com/b']);
    expect(extractLinks('Wiki: https://en.wikipedia.org/wiki/Goal_(sport)')).toEqual([
      'https://en.wikipedia.org/wiki/Goal_(sport)',
    ]);
  });

  it('ignores other schemes', () => {
    expect(extractLinks('javascript:alert(1) ftp://x.example mailto:a@b.c')).toEqual([]);
  });
});

describe('safeNext', () => {
  it('allows paths on this site', () => {
    expect(safeNext('/admin/users?page=2')).toBe('/admin/users?page=2');
    expect(safeNext('/account#change-password')).toBe('/account#change-password');
  });

  it('refuses other sites and public pages', () => {
    for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'account']) {
      expect(safeNext(bad)).toBe('/');
    }
    expect(safeNext('/sign-in?next=/x')).toBe('/');
    expect(safeNext('/reset-password?token=x')).toBe('/');
  });
});
