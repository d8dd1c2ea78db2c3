// dashboard.mjs - wmsd's pages in headless Debian Chromium (see browser_test.sh,
// which starts wmsd and computes the expected numbers into $EXPECT).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const BASE = process.env.BASE;
const expect = JSON.parse(fs.readFileSync(process.env.EXPECT, 'utf8'));
const all = expect.all, bpm = expect.bpm, sql = expect.sql;
let checks = 0;
const ok = (what) => { checks++; console.log('ok - ' + what); };

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'sv-SE' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // script errors; the expected 4xx answers (wrong password, bad filter, no favicon) are not
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });

  // --- every page is behind the login; the login form is Swedish by default
  let resp = await page.goto(BASE + '/');
  assert.match(page.url(), /\/login\?next=\/$/);
  assert.equal(await page.locator('h1').textContent(), 'Logga in');
  assert.match(resp.headers()['content-security-policy'], /default-src 'self'/);
  ok('/ redirects to the Swedish login form, with a CSP header');
  await page.fill('#user', 'maja');
  await page.fill('#password', 'wrong-password');
  await page.click('form.login button');
  assert.equal(await page.locator('#login-error').textContent(), 'Fel användarnamn eller lösenord.');
  ok('a wrong password shows the form again with the reason');
  await page.fill('#password', 'pw-manager-12345');
  const t0 = Date.now();
  await Promise.all([page.waitForURL(BASE + '/'), page.click('form.login button')]);
  console.log(`# dashboard after login in ${Date.now() - t0} ms`);
  assert.equal(await page.locator('h1').textContent(), 'Ledtid');
  const cookies = await context.cookies();
  assert.ok(cookies.find((c) => c.name === 'wms_session' && c.httpOnly && c.sameSite === 'Strict'));
  ok('logged in: the dashboard, with an HttpOnly SameSite=Strict session cookie');

  // --- KPI tiles against the numbers computed apart from wmsd
  const kpi = async (id) => Number(await page.locator(`#${id} .value`).getAttribute('data-value'));
  const tiles = async () => ({
    share: await kpi('kpi-share'), median: await kpi('kpi-median'), p90: await kpi('kpi-p90'),
    count: await kpi('kpi-count'), late: await kpi('kpi-late'),
  });
  let t = await tiles();
  assert.equal(t.count, sql.delivered, 'deliveries = sqlite3 count');
  assert.equal(t.count, all.overall.count);
  assert.ok(Math.abs(t.share - all.overall.share_within) < 1e-5, 'share within target');
  assert.equal(t.median, all.overall.median);
  assert.equal(t.p90, all.overall.p90);
  assert.equal(t.late, all.late_count);
  assert.equal(await kpi('kpi-rented'), expect.rentals.out, 'rented tile = charged rentals (sqlite3)');
  assert.equal(await kpi('kpi-recon'), expect.recon.queue, 'recon tile = quarantine + in_recon (sqlite3)');
  assert.equal(await kpi('kpi-printq-failed'), expect.printq.failed);
  const breached = all.at_risk.filter((r) => r.days_left < 0).length;
  assert.equal(await kpi('kpi-breached'), breached);
  assert.equal(await kpi('kpi-risk'), all.at_risk.length - breached);
  const shown = (await page.locator('#kpi-share .value').textContent()).trim();
  assert.equal(shown, (100 * all.overall.share_within).toFixed(1) + ' %');
  ok(`KPI tiles: ${shown} within target, median ${t.median}, p90 ${t.p90}, ${t.count} deliveries`);

  // --- the overview fits one 1920x1080 screen; every tile equals its panel on the page it links to
  await page.setViewportSize({ width: 1920, height: 1080 });
  const bottom = await page.evaluate(() => document.querySelector('main').getBoundingClientRect().bottom + window.scrollY);
  assert.ok(bottom <= 1080, `the overview is ${bottom} px tall, more than 1080`);
  const tilePanel = [
    ['kpi-count', '#lt-count .value'], ['kpi-share', '#lt-share .value'], ['kpi-late', '#late-count'],
    ['kpi-breached', '#breached .count'], ['kpi-risk', '#at-risk .count'], ['kpi-rented', '#rent-out .value'],
    ['kpi-recon', '#recon-queue .value'], ['kpi-printq-failed', '#printq-failed .value'],
  ];
  for (const [tileId, panelSel] of tilePanel) {
    await page.goto(BASE + '/');
    const v = await kpi(tileId);
    await Promise.all([page.waitForURL(/\/dashboard\//), page.click(`#${tileId}`)]);
    const p = Number(await page.locator(panelSel).getAttribute('data-value'));
    assert.ok(Math.abs(v - p) < 1e-9, `tile ${tileId} ${v} != its panel ${panelSel} ${p} on ${page.url()}`);
  }
  ok(`the overview is ${bottom} px tall at 1920x1080; ${tilePanel.length} tiles equal their panels`);

  // --- the rentals, reconditioning and print-queue panels, against sqlite3 and the CLI
  await page.goto(BASE + '/dashboard/rentals');
  const rent = expect.rentals, rc = expect.recon, pq = expect.printq;
  const cell = async (sel) => Number(await page.locator(sel).getAttribute('data-value'));
  assert.equal(await page.locator('#rentals > h2').textContent(), 'Uthyrning');
  assert.equal(await kpi('rent-out'), rent.out, 'out on rent = sqlite3 count of charged rentals');
  assert.equal(await page.locator('#rentals-by-month svg rect.bar').count(), 12);
  assert.equal(await cell('#rentals-by-month svg rect.bar >> nth=-1'), rent.report.total.devices);
  assert.equal(await kpi('rent-month'), rent.report.total.devices, 'this month = wms rental report');
  assert.equal(await cell('#rentals-by-product tr:has(th:text-is("BPM")) td.num'), rent.out_bpm);
  assert.equal(await page.locator('#rentals-by-customer tbody tr').count(), rent.customers);
  ok(`rentals: ${rent.out} out now, ${rent.report.total.devices} rented in ${rent.month}`);
  await page.goto(BASE + '/dashboard/recon');
  const turn = rc.report.turnaround_workdays, finished = rc.approved + rc.repair + rc.scrapped;
  assert.equal(await page.locator('#recon > h2').textContent(), 'Rekonditionering');
  assert.equal(await kpi('recon-queue'), rc.queue, 'queue = sqlite3 count');
  assert.equal(await kpi('recon-oldest'), rc.report.queue_age_workdays.total.max ?? 0);
  assert.equal(turn.total.count, rc.approved, 'approvals since ' + rc.from);
  assert.equal(await kpi('recon-median'), turn.total.median ?? 0);
  assert.equal(await kpi('recon-p90'), turn.total.p90 ?? 0);
  assert.ok(Math.abs(await kpi('recon-repair-rate') - rc.repair / finished) < 1e-5, 'repair rate');
  assert.ok(Math.abs(await kpi('recon-scrap-rate') - rc.scrapped / finished) < 1e-5, 'scrap rate');
  assert.equal(await page.locator('#recon-months tbody tr').count(), turn.by_month.length);
  assert.equal(await page.locator('#recon-by-month svg rect.bar').count(), turn.by_month.length);
  const perMonth = await page.locator('#recon-months tbody tr td:nth-child(2)').allTextContents();
  assert.equal(perMonth.reduce((a, v) => a + Number(v), 0), rc.approved);
  ok(`reconditioning: ${rc.queue} waiting, turnaround median ${turn.total.median} p90 ${turn.total.p90}, `
     + `${rc.repair}/${rc.scrapped} of ${finished} to repair/scrapped`);
  await page.goto(BASE + '/dashboard/print-queue');
  assert.equal(await page.locator('#print-queue > h2').textContent(), 'Utskriftskö');
  assert.equal(await kpi('printq-queued'), pq.queued);
  assert.equal(await kpi('printq-failed'), pq.failed);
  assert.ok(Math.abs(await kpi('printq-oldest') - (Date.now() / 1000 - pq.oldest_queued_ts)) < 600,
            'oldest queued age');
  const printer = (name, state) => page.locator(`#printq-by-printer tr:has(th:text-is("${name}")) td[data-state="${state}"]`);
  assert.equal(Number(await printer('lager', 'queued').textContent()), pq.lager_queued);
  assert.equal(Number(await printer('gammal', 'failed').textContent()), pq.gammal_failed);
  assert.equal(Number(await printer('gammal', 'cancelled').textContent()), pq.gammal_cancelled);
  assert.match(await page.locator('#printq-by-printer tr:has(th:text-is("lager"))').textContent(),
               /cannot reach CUPS server 127\.0\.0\.1:9/);
  assert.equal(await page.locator('#printq-failed tbody tr').count(), pq.failed);
  assert.equal(await page.locator('#printq-failed tbody tr >> nth=0 >> td >> nth=-1').textContent(), pq.reason);
  ok(`print queue: ${pq.queued} queued, ${pq.failed} failed ("${pq.reason}")`);

  // --- charts: server-side SVG, one bar per working day, one point per month, no label cut off
  await page.goto(BASE + '/');
  const overflow = await page.evaluate(() => [...document.querySelectorAll('svg')].flatMap((svg) => {
    const w = svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].filter((t) => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > w; })
      .map((t) => t.textContent);
  }));
  assert.deepEqual(overflow, [], 'chart labels outside their chart');
  assert.equal(await page.locator('#histogram svg rect.bar').count(), all.overall.histogram.length);
  assert.equal(await page.locator('#trend svg circle.point').count(), all.by_month.length);
  const late = await page.locator('#histogram svg rect.bar.late').count();
  assert.equal(late, Math.max(0, all.overall.histogram.length - all.target_days - 1));
  assert.equal(await page.locator('script').count(), 0);
  await page.goto(BASE + '/dashboard/lead-time');
  assert.equal(await page.locator('#by-product tbody tr').count(), all.by_product.length);
  assert.equal(await page.locator('#by-mode tbody tr').count(), all.by_mode.length);
  assert.equal(await kpi('cs-count'), sql.customer_set);
  await page.goto(BASE + '/dashboard/open');
  assert.equal(await page.locator('#breached tbody tr').count(), breached);
  assert.equal(await page.locator('#at-risk tbody tr').count(), all.at_risk.length - breached);
  assert.equal(await page.locator('script').count(), 0);
  ok('charts and tables have a bar per day, a point per month and a row per key; no script');

  // --- the late list in pages of 50, order numbers on one line
  await page.goto(BASE + '/dashboard/late');
  assert.equal(await page.locator('#late tbody tr').count(), Math.min(all.late_count, 50));
  assert.equal(await page.locator('#late tbody tr >> nth=0 >> th').textContent(), all.late[0].order);
  const wrapped = await page.evaluate(() => [...document.querySelectorAll('table.orders tbody th')].filter((th) => {
    const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length > 1;
  }).length);
  assert.equal(wrapped, 0, 'order numbers wrap');
  if (all.late_count > 50) {
    await Promise.all([page.waitForURL(/page=2/), page.click('#page-next')]);
    assert.equal(await page.locator('#late tbody tr').count(), Math.min(all.late_count - 50, 50));
    assert.equal(await page.locator('#page-of').textContent(), `2 / ${Math.ceil(all.late_count / 50)}`);
    await Promise.all([page.waitForURL((u) => !/page=/.test(u.search)), page.click('#page-prev')]);
  }
  ok(`late list: ${all.late_count} late orders in pages of 50, order numbers on one line`);

  // --- the delivery-mode filter and the dates as yyyy-mm-dd text in the page's language
  await page.goto(BASE + '/');
  assert.equal(await page.locator('#from').getAttribute('placeholder'), 'ÅÅÅÅ-MM-DD');
  await page.selectOption('#mode', 'home');
  await page.fill('#from', '2010-01-01');
  await Promise.all([page.waitForURL(/mode=home/), page.click('form.filter button')]);
  assert.match(page.url(), /from=2010-01-01/);
  assert.equal(await kpi('kpi-count'), expect.home.overall.count);
  assert.equal(await kpi('kpi-median'), expect.home.overall.median);
  assert.equal(await kpi('kpi-late'), expect.home.late_count);
  ok(`filter mode=home: ${expect.home.overall.count} deliveries (= wms leadtime report --mode home)`);
  await page.goto(BASE + '/');

  // --- the depot filter: Skövde's deliveries alone, and the drill-down keeps the filter
  await page.selectOption('#depot', 'SK');
  await Promise.all([page.waitForURL(/depot=SK/), page.click('form.filter button')]);
  assert.equal(await kpi('kpi-count'), expect.sk.overall.count);
  assert.equal(await kpi('kpi-median'), expect.sk.overall.median);
  assert.equal(await kpi('kpi-late'), expect.sk.late_count);
  await Promise.all([page.waitForURL(/\/dashboard\/.*depot=SK/), page.click('#kpi-late')]);
  assert.equal(Number(await page.locator('#late-count').getAttribute('data-value')), expect.sk.late_count);
  // switching the language keeps the filter
  await Promise.all([page.waitForURL(/lang=en/), page.click('a[hreflang="en"]')]);
  assert.match(page.url(), /depot=SK/);
  assert.equal(Number(await page.locator('#late-count').getAttribute('data-value')), expect.sk.late_count);
  ok(`filter depot=SK: ${expect.sk.overall.count} deliveries, ${expect.sk.late_count} late `
     + '(= wms leadtime report --depot SK), on the drill-down page too, also in English');
  await page.goto(BASE + '/');

  // --- filter by product: the GET form puts it in the URL; the numbers follow
  await page.selectOption('#product', 'BPM');
  await Promise.all([page.waitForURL(/product=BPM/), page.click('form.filter button')]);
  t = await tiles();
  assert.equal(t.count, sql.delivered_bpm);
  assert.equal(t.count, bpm.overall.count);
  assert.notEqual(t.count, all.overall.count);
  assert.ok(Math.abs(t.share - bpm.overall.share_within) < 1e-5);
  assert.equal(t.median, bpm.overall.median);
  assert.equal(t.p90, bpm.overall.p90);
  ok(`filter product=BPM: ${t.count} deliveries, ${(100 * t.share).toFixed(1)} % within, p90 ${t.p90}`);

  // --- CSV export of what is shown
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const file = path.join(process.env.OUT, 'export.csv');
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), 'ledtid.csv');
  const rows = fs.readFileSync(file, 'utf8').split('\r\n').filter((l) => l).map((l) => l.split(','));
  assert.deepEqual(rows[0].slice(0, 4), ['section', 'key', 'name', 'orders']);
  const overall = rows.find((r) => r[0] === 'overall');
  assert.equal(Number(overall[3]), bpm.overall.count);
  assert.equal(Number(overall[4]), bpm.overall.within_target);
  assert.equal(Number(overall[7]), bpm.overall.p90);
  assert.equal(rows.filter((r) => r[0] === 'month').length, bpm.by_month.length);
  const products = rows.filter((r) => r[0] === 'product');
  assert.equal(products.length, 1);
  assert.equal(products[0][1], 'BPM');
  const hist = rows.filter((r) => r[0] === 'histogram').map((r) => Number(r[3]));
  assert.deepEqual(hist, bpm.overall.histogram);
  assert.equal(rows.filter((r) => r[0] === 'late').length, Math.min(bpm.late_count, 100));
  ok(`CSV export: ${rows.length - 1} rows, the filtered numbers`);
  // the rentals panel's own CSV, with the same filter: the tile's link keeps it
  await Promise.all([page.waitForURL(/\/dashboard\/rentals\?product=BPM/), page.click('#kpi-rented')]);
  const [rentDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-rentals')]);
  const rentFile = path.join(process.env.OUT, 'rentals.csv');
  await rentDownload.saveAs(rentFile);
  assert.equal(rentDownload.suggestedFilename(), 'uthyrning.csv');
  const rentRows = fs.readFileSync(rentFile, 'utf8').split('\r\n').filter((l) => l).map((l) => l.split(','));
  assert.deepEqual(rentRows[0], ['section', 'key', 'name', 'devices', 'rental_days', 'started']);
  assert.equal(Number(rentRows.find((r) => r[0] === 'out_total')[3]), rent.out_bpm);
  assert.deepEqual(rentRows.filter((r) => r[0] === 'out_product').map((r) => r[1]), ['BPM']);
  assert.equal(rentRows.filter((r) => r[0] === 'month').length, 12);
  ok(`rentals CSV with the filter: ${rent.out_bpm} BPM out on rent`);

  // --- a bad filter: a clear message, 400
  resp = await page.goto(BASE + '/?from=2026-02-30');
  assert.equal(resp.status(), 400);
  assert.match(await page.locator('.error').textContent(), /from: not a date/);
  ok('a bad date is refused with what is allowed');

  // --- English
  await page.goto(BASE + '/?lang=en&product=BPM');
  assert.equal(await page.locator('h1').textContent(), 'Lead time');
  assert.equal(await page.locator('#kpi-share h2').textContent(), 'Within target');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#from').getAttribute('placeholder'), 'YYYY-MM-DD');
  await page.goto(BASE + '/dashboard/rentals?lang=en');
  assert.equal(await page.locator('#rentals > h2').textContent(), 'Rentals');
  ok('English with ?lang=en');

  // --- screenshots at 1920x1080 and 1366x768 in both languages: the overview fits
  // either screen (a laptop's too), no page is wider than the screen
  for (const [w, h] of [[1920, 1080], [1366, 768]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const lang of ['sv', 'en']) {
      for (const where of ['', 'dashboard/lead-time', 'dashboard/late', 'dashboard/open', 'dashboard/rentals',
                           'dashboard/recon', 'dashboard/print-queue']) {
        await page.goto(`${BASE}/${where}${lang === 'en' ? '?lang=en' : ''}`);
        const [sw, bot] = await page.evaluate(() => [document.documentElement.scrollWidth,
          document.querySelector('main').getBoundingClientRect().bottom + window.scrollY]);
        assert.ok(sw <= w, `${where || 'overview'} (${lang}) is ${sw} px wide at ${w}x${h}`);
        if (where === '')
          assert.ok(bot <= h, `the overview (${lang}) is ${bot} px tall at ${w}x${h}`);
        if (where === '') {
          // the filter's fields on one row, also on a laptop
          const rows = await page.evaluate(() => new Set([...document.querySelectorAll('form.filter fieldset > p')]
            .map((p) => Math.round(p.getBoundingClientRect().bottom))).size);
          assert.equal(rows, 1, `the filter (${lang}) takes ${rows} rows at ${w}x${h}`);
        }
        await page.screenshot({ path: path.join(process.env.SHOTS, `${(where || 'overview').replace('dashboard/', '')}-${w}x${h}-${lang}.png`) });
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });
  ok(`screenshots in ${process.env.SHOTS}: nothing wider than the screen, the overview within 1920x1080 and 1366x768`);

  // --- station screen: a scan written into the station's pipe appears live (SSE)
  await page.goto(BASE + '/stations/goods-in');
  const live = page.locator('#live');
  await page.waitForFunction(() => document.getElementById('live').textContent === 'Direkt');
  const before = await page.locator('#lines li').count();
  fs.writeFileSync(process.env.FIFO, '010735004510101321SN-BROWSER-1\n');
  await page.locator('#lines li.ok', { hasText: 'SN-BROWSER-1' }).waitFor({ timeout: 60000 });
  // a serial number alone (no product barcode before it, no delivery) is refused, saying why
  fs.writeFileSync(process.env.FIFO, 'SN-BROWSER-2\n');
  await page.locator('#lines li.refused', { hasText: /serienummer/ }).waitFor({ timeout: 60000 });
  assert.equal(await page.locator('#lines li').count(), before + 2);
  assert.match(await page.locator('#lines li').first().textContent(), /^Nekad /);
  assert.equal(await live.textContent(), 'Direkt');
  const green = await page.locator('#lines li.ok').first().evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(green, 'rgb(11, 107, 46)');
  ok('station screen: an ok scan (green) and a refused one (red, with the reason) arrived live');
  // reloaded, the page shows the same lines from the journal
  await page.reload();
  assert.equal(await page.locator('#lines li').count(), before + 2);
  ok('station screen after reload: the same lines from the scan journal');

  // --- logout: the session ends, pages lead to the login again
  await Promise.all([page.waitForURL(/\/login/), page.click('form.logout button')]);
  await page.goto(BASE + '/');
  assert.match(page.url(), /\/login\?next=\/$/);
  ok('logout ends the session');

  assert.deepEqual(errors, []);
  ok('no script errors in the pages');
  console.log(`# ${checks} checks passed`);
} finally {
  await browser.close();
}
