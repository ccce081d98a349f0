// Browser end-to-end test of the page served by `phishguard serve`.
// Run by tests/e2e/browser.sh, which starts the server and sets PHISHGUARD_URL.
// Drives headless Debian chromium with playwright-core; exits non-zero on failure.

import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BASE = process.env.PHISHGUARD_URL || 'http://127.0.0.1:8080';
const ROOT = resolve(process.env.REPO_ROOT || '.');
const SHOTS = resolve(process.env.SCREENSHOT_DIR || join(ROOT, 'target', 'e2e-screenshots'));
const example = (name) => readFileSync(join(ROOT, 'examples', name), 'utf8');

const failures = [];
function check(cond, what) {
  if (cond) {
    console.log(`ok   ${what}`);
  } else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

/** Requests that left for anything but this server (loopback). */
const outside = [];
function isLocal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

async function waitForHealth() {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${BASE}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${BASE} did not answer /healthz`);
}

/** Paste `text` into the mail box and check it; wait for the verdict. */
async function pasteMail(page, text) {
  await page.click('#clear');
  await page.click('#tab-mail');
  await page.fill('#mail-text', text);
  await page.click('#check');
  await page.waitForSelector('#verdict', { state: 'visible', timeout: 15000 });
}

async function verdictOf(page) {
  return page.getAttribute('#verdict', 'data-verdict');
}

async function texts(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => e.textContent));
}

async function main() {
  await waitForHealth();
  mkdirSync(SHOTS, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'phishguard-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
  });
  try {
    context.on('request', (r) => {
      if (!isLocal(r.url())) outside.push(r.url());
    });
    const page = context.pages()[0] || (await context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('dialog', (d) => {
      errors.push(`dialog opened: ${d.message()}`);
      d.dismiss().catch(() => {});
    });

    // ---------------------------------------------------------------- the page
    const resp = await page.goto(`${BASE}/`);
    const csp = resp.headers()['content-security-policy'] || '';
    check(csp.includes("default-src 'none'") && !csp.includes('unsafe-inline'), 'strict CSP header on the page');
    check((await page.getAttribute('html', 'lang')) === 'ja', 'page starts in Japanese');
    check((await page.textContent('#privacy')).includes('保存'), 'page says nothing is stored');

    // ---------------------------------------------------------------- phishing
    await pasteMail(page, example('fake-prime-suspension.eml'));
    check((await verdictOf(page)) === 'phishing', 'fake Prime mail: verdict phishing');
    check((await page.textContent('#verdict .verdict-text')).includes('フィッシング'), 'verdict in Japanese words');
    const bg = await page.$eval('#verdict', (e) => getComputedStyle(e).backgroundColor);
    check(bg !== 'rgba(0, 0, 0, 0)' && bg !== 'rgb(255, 255, 255)', `verdict has a colour (${bg})`);
    check((await page.textContent('#brand')).includes('Amazon'), 'claimed brand Amazon shown');
    const hosts = await texts(page, '#reasons .link-real-host mark');
    check(
      hosts.some((h) => h.includes('www.amazon.co.jp.account-update-prime.com')),
      `link's real host highlighted (${hosts[0]})`
    );
    const shown = await texts(page, '#reasons .link-shown');
    check(shown.some((s) => s.includes('amazon.co.jp')), 'link text shown next to its real target');
    const marks = await texts(page, '#reasons mark');
    check(marks.includes('notice-7x2@ab3.so-net.ne.jp'), 'sender address highlighted');
    check(marks.some((m) => m.includes('会員資格は一時的に停止')), 'phrase highlighted');
    check((await page.$$('#advice-now li input[type=checkbox]')).length > 0, 'advice checklist: what to do now');
    check((await page.$$('#advice-clicked li')).length > 0, 'advice checklist: if you already clicked');
    check((await page.$$('#result a, #result img, #result script, #result iframe')).length === 0, 'no link, image or script built from the mail');
    await page.screenshot({ path: join(SHOTS, 'phishing-ja.png'), fullPage: true });

    // ---------------------------------------------------------------- English
    const jaVerdict = await page.textContent('#verdict .verdict-text');
    const jaAdvice = await texts(page, '#advice li label');
    await page.click('#lang-switch');
    await page.waitForFunction(() => document.querySelector('#result')?.dataset.lang === 'en', null, { timeout: 15000 });
    check((await page.getAttribute('html', 'lang')) === 'en', 'switch sets lang=en');
    const enVerdict = await page.textContent('#verdict .verdict-text');
    check(enVerdict !== jaVerdict && /phishing/i.test(enVerdict), `verdict text now English (${enVerdict})`);
    const enAdvice = await texts(page, '#advice li label');
    check(enAdvice.length > 0 && enAdvice.join() !== jaAdvice.join(), 'advice now English');
    check((await page.textContent('h1')).includes('Phishing mail check'), 'page title now English');
    check((await page.textContent('#check')) === 'Check', 'button now English');
    await page.screenshot({ path: join(SHOTS, 'phishing-en.png'), fullPage: true });

    // ---------------------------------------------------------------- genuine
    await pasteMail(page, example('genuine-amazon-order.eml'));
    check((await verdictOf(page)) === 'legitimate', 'genuine order mail: verdict legitimate');
    await page.screenshot({ path: join(SHOTS, 'genuine-en.png'), fullPage: true });

    // ---------------------------------------------------------------- SMS
    await page.click('#lang-switch'); // back to Japanese
    await page.click('#clear');
    await page.click('#tab-sms');
    const [fromLine, ...rest] = example('smishing.txt').split('\n');
    await page.fill('#sms-sender', fromLine.replace(/^From:\s*/, ''));
    await page.fill('#sms-text', rest.join('\n'));
    await page.click('#check');
    await page.waitForSelector('#verdict', { state: 'visible', timeout: 15000 });
    const smsVerdict = await verdictOf(page);
    check(smsVerdict === 'phishing' || smsVerdict === 'suspicious', `smishing SMS flagged (${smsVerdict})`);
    const smsHosts = await texts(page, '#reasons .link-real-host mark');
    check(smsHosts.some((h) => h.includes('amaz0n-jp-secure.com')), 'SMS link host highlighted');
    await page.screenshot({ path: join(SHOTS, 'sms-ja.png'), fullPage: true });

    // ---------------------------------------------------------------- file
    await page.click('#clear');
    await page.click('#tab-file');
    await page.setInputFiles('#file', join(ROOT, 'examples', 'fake-prime-suspension.eml'));
    await page.waitForSelector('#verdict', { state: 'visible', timeout: 15000 });
    check((await verdictOf(page)) === 'phishing', 'chosen .eml file: verdict phishing');

    // ---------------------------------------------------------------- dropped file
    await page.click('#clear');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.eml', { type: 'message/rfc822' }));
      document.querySelector('#drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, example('genuine-amazon-order.eml'));
    await page.waitForSelector('#verdict', { state: 'visible', timeout: 15000 });
    check((await verdictOf(page)) === 'legitimate', 'dropped .eml file: verdict legitimate');
    check((await page.textContent('#file-name')).includes('dropped.eml'), 'dropped file name shown');

    // ---------------------------------------------------------------- hostile mail
    const hostile = [
      'From: "Amazon" <security@amaz0n-alerts.example>',
      'To: you@example.com',
      'Subject: <img src=x onerror="window.__pwned=3"> アカウント停止',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><head><script>window.__pwned=1</script>',
      '<meta http-equiv="refresh" content="0;url=http://203.0.113.9/">',
      '<link rel="stylesheet" href="http://203.0.113.9/x.css"></head><body>',
      '<img src="http://198.51.100.7/pixel.gif" onerror="window.__pwned=4">',
      '<iframe src="http://203.0.113.9/frame"></iframe>',
      '<a href="javascript:window.__pwned=2">https://www.amazon.co.jp/</a>',
      '<a href="http://203.0.113.9/login">https://www.amazon.co.jp/ap/signin</a>',
      '<p>お客様のアカウントは停止されました。' + 'A'.repeat(200000) + '</p>',
      '</body></html>',
      '',
    ].join('\r\n');
    await pasteMail(page, hostile);
    await page.waitForTimeout(500);
    check((await page.evaluate(() => typeof window.__pwned)) === 'undefined', 'no script from the mail ran (window.__pwned undefined)');
    check((await page.$$('#result a, #result img, #result script, #result iframe, #result link, #result meta')).length === 0, 'hostile HTML built no element');
    const pageText = await page.textContent('#result');
    check(pageText.includes('javascript:window.__pwned=2') || pageText.includes('203.0.113.9'), 'hostile links shown as inert text');
    // clicking on a shown URL goes nowhere
    const before = page.url();
    const urls = await page.$$('#result .url');
    if (urls.length) await urls[0].click();
    await page.waitForTimeout(300);
    check(page.url() === before, 'clicking a shown link does not navigate');
    check((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1100, 'huge line does not widen the page');
    await page.screenshot({ path: join(SHOTS, 'hostile-ja.png'), fullPage: false });

    // ---------------------------------------------------------------- phone size
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${BASE}/`);
    await pasteMail(page, example('fake-prime-suspension.eml'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 375, `no sideways scrolling at 375 px (scrollWidth ${width})`);
    const box = await page.$eval('#verdict', (e) => e.getBoundingClientRect().width);
    check(box > 250 && box <= 375, `verdict fits the phone screen (${Math.round(box)} px)`);
    await page.screenshot({ path: join(SHOTS, 'phone-375-ja.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'phone-375-ja-top.png'), fullPage: false });

    // ---------------------------------------------------------------- errors
    check(outside.length === 0, `no request left the machine${outside.length ? ': ' + outside.slice(0, 5).join(' ') : ''}`);
    check(errors.length === 0, `no page errors, CSP violations or dialogs${errors.length ? ': ' + errors.slice(0, 5).join(' | ') : ''}`);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`screenshots in ${SHOTS}`);
  if (failures.length) {
    console.log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('all browser checks passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
