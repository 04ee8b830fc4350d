// SPDX-License-Identifier: Apache-2.0
// The live gallery in headless Chromium: after login, a snapshot captured
// on the server appears as a new tile without a reload, its report then
// adds flags to that tile, the flag filter finds it, and the alerts
// timeline lists the alert. Screenshots go to <pw_dir>/artifacts/.
// Usage: node live_browser_test.mjs SERVER CHROMIUM PW_DIR
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  PASSWORD, artifacts, expect, finish, launchBrowser, serverBin, step,
} from './browser_harness.mjs';

// The server prints "PORT n" once, then one line per stdin command.
const child = spawn(serverBin, ['--seed', '6'], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = [];
let waiter = null;
readline.createInterface({ input: child.stdout }).on('line', (line) => {
  lines.push(line);
  if (waiter) waiter();
});
async function nextLine(re) {
  for (;;) {
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return lines.splice(i, 1)[0].match(re);
    await new Promise((resolve) => { waiter = resolve; });
  }
}
async function command(cmd, re) {
  child.stdin.write(cmd + '\n');
  return nextLine(re);
}

const port = Number((await nextLine(/^PORT (\d+)$/))[1]);
const base = `http://127.0.0.1:${port}`;
const { page, consoleErrors, close } = await launchBrowser('profile-live-');
let navigations = 0;
page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

let newId = 0;
try {
  await step('log in; the live stream connects', async () => {
    await page.goto(base + '/login');
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(base + '/');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length >= 12);
    await page.waitForFunction(() => window.vigilLive && window.vigilLive.connected);
  });

  const before = navigations;
  await step('a new snapshot appears without reload', async () => {
    newId = Number((await command('snap garage', /^SNAP (\d+)$/))[1]);
    await page.waitForSelector(`.tile[data-id="${newId}"]`, { timeout: 10000 });
    const first = await page.locator('#grid .tile').first().getAttribute('data-id');
    expect(Number(first) === newId, `the new tile first, got ${first}`);
    expect(navigations === before, 'no navigation');
    await page.screenshot({ path: path.join(artifacts, 'live-new-snapshot.png') });
  });

  await step('its report adds flags to the tile without reload', async () => {
    await command(`report ${newId} animal`, /^REPORT (\d+)$/);
    await page.waitForSelector(`.tile[data-id="${newId}"] .tile-flags .flag`, { timeout: 10000 });
    const text = await page.textContent(`.tile[data-id="${newId}"] .tile-flags`);
    expect(text.includes('animal'), `flag "animal", got ${text}`);
    expect(navigations === before, 'no navigation');
    await page.screenshot({ path: path.join(artifacts, 'live-report.png') });
  });

  await step('the open snapshot shows the report', async () => {
    await page.click(`.tile[data-id="${newId}"]`);
    await page.waitForSelector('#detail-report .scene');
    const scene = await page.textContent('#detail-report .scene');
    expect(scene.includes('grey cat'), `scene text, got ${scene}`);
    await page.click('#detail-close');
  });

  await step('filter by flag and subject', async () => {
    await page.selectOption('#filter-flag', 'animal');
    await page.waitForFunction((id) => {
      const tiles = document.querySelectorAll('.tile');
      return tiles.length === 1 && tiles[0].dataset.id === String(id);
    }, newId);
    await page.selectOption('#filter-flag', 'fire_or_smoke');
    await page.waitForSelector('#empty:not([hidden])');
    await page.selectOption('#filter-flag', '');
    await page.selectOption('#filter-subject', 'animal');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 1);
    await page.click('#filter-clear');
    await page.waitForFunction(() => document.querySelectorAll('.tile').length >= 13);
  });

  await step('alerts timeline lists the alert', async () => {
    await page.click('#tab-alerts');
    await page.waitForSelector('.alert-item');
    const text = await page.textContent('.alert-item');
    expect(text.includes('garage') && text.includes('animal'), `alert text, got ${text}`);
    await page.screenshot({ path: path.join(artifacts, 'alerts.png') });
  });

  await step('no console errors (CSP, JS)', async () => {
    expect(consoleErrors.length === 0, `none, got ${JSON.stringify(consoleErrors)}`);
  });
} finally {
  await close();
  child.stdin.end();
}
finish();
