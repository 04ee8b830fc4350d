// SPDX-License-Identifier: Apache-2.0
// The gallery in headless Chromium: log in, see thumbnails, filter by
// camera, open a snapshot, snap a camera; screenshots go to
// <pw_dir>/artifacts/. Usage: node gallery_browser_test.mjs SERVER CHROMIUM PW_DIR
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  PASSWORD, artifacts, expect, finish, launchBrowser, serverBin, step,
} from './browser_harness.mjs';

function startServer() {
  const child = spawn(serverBin, ['--seed', '40'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const m = line.match(/^PORT (\d+)$/);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

const { child, port } = await startServer();
const base = `http://127.0.0.1:${port}`;
const { page, consoleErrors, close } = await launchBrowser('profile-');

try {
  await step('unauthenticated visit lands on the login page', async () => {
    await page.goto(base + '/');
    expect(new URL(page.url()).pathname === '/login', `login page, got ${page.url()}`);
    await page.screenshot({ path: path.join(artifacts, 'login.png') });
  });

  await step('wrong password shows an error', async () => {
    await page.fill('#password', 'not-the-password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    expect((await page.textContent('#login-error')).includes('Wrong password'), 'wrong-password text');
    consoleErrors.length = 0;  // the browser logs the expected 401
  });

  await step('log in and see thumbnails', async () => {
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(base + '/');
    await page.waitForFunction(() => document.querySelectorAll('.tile img.loaded').length >= 8);
    const tiles = await page.locator('.tile').count();
    expect(tiles >= 60, `a first page of 60 tiles, got ${tiles}`);
    const cams = await page.locator('#camera-chips .chip').allTextContents();
    expect(cams.join(',') === 'All cameras,front_door,backyard,garage', `chips, got ${cams}`);
    await page.screenshot({ path: path.join(artifacts, 'gallery.png') });
  });

  await step('scrolling loads the next page', async () => {
    await page.locator('#sentinel').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelectorAll('.tile').length === 80);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  await step('filter by camera', async () => {
    await page.click('#camera-chips .chip[data-camera="backyard"]');
    await page.waitForFunction(() => {
      const cams = [...document.querySelectorAll('.tile .cam')].map((e) => e.textContent);
      return cams.length === 40 && cams.every((c) => c === 'backyard');
    });
    expect(await page.isVisible('#filter-clear'), 'a Clear button');
  });

  await step('open a snapshot', async () => {
    await page.locator('.tile').first().click();
    await page.waitForSelector('#detail:not([hidden])');
    await page.waitForFunction(() => {
      const img = document.getElementById('detail-image');
      return img.complete && img.naturalWidth === 320;
    });
    expect((await page.textContent('#detail-title')) === 'backyard', 'detail title backyard');
    expect((await page.textContent('#detail-meta')).includes('320 × 180'), 'resolution in metadata');
    await page.screenshot({ path: path.join(artifacts, 'detail.png') });
    await page.click('#detail-next');
    await page.waitForFunction(() => /#\/snapshot\/\d+/.test(location.hash));
    await page.keyboard.press('Escape');
    await page.waitForSelector('#detail', { state: 'hidden' });
  });

  await step('camera page: snap now', async () => {
    await page.click('#tab-cameras');
    await page.waitForFunction(() => document.querySelectorAll('.card').length === 3);
    await page.click('.card[data-camera="garage"] button[data-action="snap"]');
    await page.waitForSelector('.toast.ok');
    await page.waitForSelector('.card[data-camera="garage"] .status.online');
    await page.waitForFunction(() => {
      const img = document.querySelector('.card[data-camera="garage"] .card-preview img');
      return img && img.complete && img.naturalWidth > 0;
    });
    await page.screenshot({ path: path.join(artifacts, 'cameras.png') });
  });

  await step('phone layout', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click('#tab-gallery');
    await page.click('#filter-clear');
    await page.waitForFunction(() => document.querySelectorAll('.tile img.loaded').length >= 6);
    await page.screenshot({ path: path.join(artifacts, 'gallery-phone.png') });
  });

  await step('no console errors (CSP, JS)', async () => {
    expect(consoleErrors.length === 0, `none, got ${JSON.stringify(consoleErrors)}`);
  });
} finally {
  await close();
  child.stdin.end();
}
console.log(`screenshots in ${artifacts}`);
finish();
