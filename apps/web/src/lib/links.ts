/** The http(s) links in a plain-text mail, in order, without duplicates or trailing punctuation. */
export function extractLinks(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'`]+/gi)) {
    let url = match[0].replace(/[.,;:!?]+$/, '');
    // A closing bracket that has no opening one in the URL belongs to the sentence.
    while (/[)\]]$/.test(url) && count(url, url.endsWith(')') ? '(' : '[') < count(url, url.at(-1)!)) {
      url = url.slice(0, -1);
    }
    try {
      const parsed = new URL(url);
      if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && !found.includes(url)) found.push(url);
    } catch {
      // not a URL after all
    }
  }
  return found;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

/**
 * Where to go after signing in: only a path on this site (never "//evil.example" or a full URL),
 * and never back to a public page.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  const path = next.split(/[?#]/)[0] ?? '/';
  if (['/sign-in', '/sign-up', '/forgot-password', '/reset-password', '/accept-invite'].includes(path)) return '/';
  return next;
}
