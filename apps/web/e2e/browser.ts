/**
 * Real Chromium for the journeys: Debian's package (browser downloads cannot work here), driven by
 * playwright-core. scripts/ensure-chromium.sh installs it before the suite runs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Where journeys photograph the states they reach (gitignored), for people to look at. */
export const SCREENS = resolve(import.meta.dirname, '../../../test-results/screens');

/** The page as it is now, at 1440 and 1024 px wide: `<name>-1440.png` and `<name>-1024.png` in SCREENS. */
export async function screens(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  const { height } = page.viewportSize() ?? { height: 900 };
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150); // let the grid re-measure after the resize
    await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height });
}
