/**
 * Copies text to the clipboard. The browser may refuse (a page served over plain http from another
 * machine, a denied permission): then the caller shows the text selected, to copy by hand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
