/**
 * Real Chromium for the journeys: Debian's package (browser downloads cannot work here), driven by
 * playwright-core. scripts/ensure-chromium.sh installs it before the suite runs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp } from '@goalpost/testing';
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

/** A journey file's beforeAll: the test app (with `env`) and Chromium, started side by side. */
export function startJourney(env?: Record<string, string>): Promise<[TestApp, Browser]> {
  return Promise.all([startTestApp(env), launchChromium()]);
}

/** A journey file's afterAll: closes what startJourney started (either may be missing if it failed). */
export async function closeJourney(t: TestApp | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}

/**
 * A new browser context at 1440×900 on the app, signed in as `email`: the sign-in form filled and
 * submitted. The caller waits for whatever page it expects next.
 */
export async function signIn(browser: Browser, t: TestApp, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
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
