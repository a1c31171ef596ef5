import { existsSync, mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { TestApp } from './test-app';

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it, no browser download. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '../../test-results/screenshots');
export const WEB_INDEX = join(__dirname, '../../dist/web/index.html');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  if (!existsSync(WEB_INDEX)) throw new Error('browser tests need the built web app: npm run build:web');
  mkdirSync(SCREENSHOTS, { recursive: true });
  if (!process.env.FAKETIME) return chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage'] });
  // Under test/clock/clock-matrix.sh this process reads a moved clock (libfaketime). Chromium does not
  // start under libfaketime, so it runs on the real clock and each of its pages gets Playwright's clock,
  // started at this process's "now" and running on from there: the page, the app and PostgreSQL agree.
  const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...env } = process.env;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--disable-dev-shm-usage'], env: env as Record<string, string> });
  // Playwright stamps each clock call with its own process's Date.now() (moved here) and the page
  // replays it against the browser's real clock. Installed at "now", a page ahead of the real clock gets
  // the moved clock, but one behind it (an instant in the past) stays on the real clock; installing at
  // now + the offset corrects that case. A page opened at once checks which one holds.
  const offsetMs = Number(process.env.FAKETIME) * 1000;
  const newContext = browser.newContext.bind(browser);
  const drift = async (context: BrowserContext) => {
    const probe = await context.newPage();
    const off = (await probe.evaluate(() => Date.now())) - Date.now();
    await probe.close();
    return off;
  };
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    for (const time of [() => Date.now(), () => Date.now() + offsetMs]) {
      const context = await newContext(...args);
      await context.clock.install({ time: time() });
      const off = await drift(context);
      if (Math.abs(off) <= 5_000) return context;
      await context.close();
    }
    throw new Error(`no page clock agrees with the moved clock (FAKETIME=${process.env.FAKETIME}): Playwright's clock changed`);
  };
  return browser;
}

/** The test app listening on a free port, serving the built web app at `/`. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A 360 px wide phone, as residents use it. */
export const PHONE = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
export const DESK = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

/**
 * Retries an assertion until it holds (pages update asynchronously), then rethrows its last failure.
 * The time limit only bounds the wait; nothing asserts how long anything took.
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * WCAG 2.x A and AA checks (labels, names, contrast, landmarks …) by axe-core, run in the page as it is
 * now. Returns the violations, each with the selectors of the elements at fault.
 */
export async function accessibilityViolations(page: Page): Promise<Array<{ rule: string; impact: string | null; targets: string[] }>> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate<AxeViolation[]>(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.map((v) => ({ rule: `${v.id}: ${v.help}`, impact: v.impact, targets: v.nodes.flatMap((n) => n.target) }));
}
