// SPDX-License-Identifier: Apache-2.0
// Login page: POST /api/login as JSON, then go to the gallery.
'use strict';

document.getElementById('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const error = document.getElementById('login-error');
  const button = document.getElementById('login-submit');
  error.hidden = true;
  button.disabled = true;
  try {
    const res = await fetch('/api/login', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({password: document.getElementById('password').value}),
      credentials: 'same-origin',
    });
    if (res.ok) {
      location.replace('/');
      return;
    }
    const body = await res.json().catch(() => ({}));
    error.textContent = res.status === 429
        ? 'Too many attempts. ' + (body.message || 'Try again later.')
        : res.status === 401 ? 'Wrong password.' : (body.message || 'Login failed.');
    error.hidden = false;
  } catch (e) {
    error.textContent = 'Cannot reach vigil: ' + e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
