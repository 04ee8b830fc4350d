// SPDX-License-Identifier: Apache-2.0
// What the headless-Chromium tests share: their arguments (SERVER CHROMIUM
// PW_DIR), the login password, named steps that count passes and failures,
// and a fresh browser profile with console errors collected.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

export const [serverBin, chromiumBin, pwDir] = process.argv.slice(2);
const { chromium } = createRequire(path.join(pwDir, 'package.json'))('playwright-core');
export const artifacts = path.join(pwDir, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
export const PASSWORD = 'hunter2-but-longer';  // tests/web/test_fixture.h kPassword

let passed = 0;
let failed = 0;
export async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}
export function expect(cond, what) {
  if (!cond) throw new Error(`expected ${what}`);
}
// Prints the tally and exits 0 only when every step passed.
export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

// A headless Chromium on a new profile under PW_DIR; `consoleErrors` fills
// with console errors and uncaught page errors. `close()` removes the profile.
export async function launchBrowser(profilePrefix) {
  const userDataDir = fs.mkdtempSync(path.join(pwDir, profilePrefix));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumBin,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { page, consoleErrors, close };
}
