/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags keep Chromium off the
 * network this machine does not have (background services, component updates, sync). Playwright gives
 * every launch a new empty profile.
 */
import { existsSync } from 'node:fs';
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
