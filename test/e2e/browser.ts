/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags keep Chromium off the
 * network this machine does not have (background services, component updates, sync). Playwright gives
 * every launch a new empty profile.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      '没有找到 Chromium：请安装 Debian 的 chromium（sudo apt-get install ' +
        'chromium），或设置 CHROMIUM_PATH 指向浏览器。npm install 在 root 下会自动安装。',
    );
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      '--mute-audio',
    ],
  });
}

/** A laptop-sized page in Chinese, China Standard Time, that fails the test on any page error. */
export async function newPage(browser: Browser, errors: string[] = []): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return page;
}

/** Signs in through the sign-in page with a development account (e.g. "office", "tax", "subject-demo"). */
export async function signIn(page: Page, base: string, account: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('账号', { exact: true }).selectOption(account);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

/**
 * Signs in as `account` from wherever the page is (a public page, a PDF, another account's page): opens the
 * start page, signs out when someone is signed in (the session outlives a page), then signs in.
 */
export async function switchAccount(page: Page, base: string, account: string): Promise<void> {
  await page.goto(`${base}/`);
  const signOut = page.getByRole('button', { name: '退出' });
  await signOut
    .or(page.getByLabel('账号', { exact: true }))
    .first()
    .waitFor();
  if (await signOut.isVisible()) await signOut.click();
  await signIn(page, base, account);
}

const SHOTS = process.env.XINLIAN_SCREENSHOTS ? path.resolve(process.env.XINLIAN_SCREENSHOTS) : undefined;

/** A full-page screenshot `name`.png in the folder XINLIAN_SCREENSHOTS names (nothing when it is not set). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(400); // charts draw without animation; let layout settle
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The form controls on the page that have no accessible name (no label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // a string expression: the test's TypeScript program has no DOM types (they would change Node's fetch types)
  return page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
    .map((el) => el.outerHTML.slice(0, 120))`);
}
