// SPDX-License-Identifier: Apache-2.0
// vigil gallery: hash-routed single page (#/, #/cameras, #/snapshot/<id>).
// Vanilla JS, no build step. Server data is only ever put in the DOM with
// textContent/attributes, never innerHTML.
'use strict';

const state = {
  csrf: '',
  cameras: [],
  filter: {camera: '', day: '', flag: '', subject: ''},
  items: [],          // loaded snapshots, newest first
  cursor: null,       // next page cursor; null = no more
  loading: false,
  generation: 0,      // bumps on filter change so stale pages are dropped
  lastDay: '',
  detailIndex: -1,
  camerasTimer: 0,
};

const $ = (id) => document.getElementById(id);
const PAGE = 60;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({'X-CSRF-Token': state.csrf}, options.headers || {});
  if (options.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, Object.assign({credentials: 'same-origin'}, options, {headers}));
  if (res.status === 401) {
    location.replace('/login');
    throw new Error('not logged in');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error((body && body.message) || `HTTP ${res.status}`);
  return body;
}

function toast(message, kind = 'info') {
  const t = el('div', {class: `toast ${kind}`, text: message});
  $('toasts').append(t);
  setTimeout(() => t.remove(), 4000);
}

// ---- formatting ----
const fmtTime = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const fmtDay = new Intl.DateTimeFormat(undefined, {weekday: 'long', year: 'numeric', month: 'long', day: 'numeric'});
const fmtFull = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'medium'});

function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function dayLabel(ms) {
  const today = dayKey(Date.now());
  const yesterday = dayKey(Date.now() - 86400000);
  const k = dayKey(ms);
  if (k === today) return 'Today';
  if (k === yesterday) return 'Yesterday';
  return fmtDay.format(new Date(ms));
}

function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

function fmtAgo(ms) {
  if (ms == null) return 'never';
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < -5) return `in ${fmtDuration(-s)}`;
  if (s < 5) return 'just now';
  return `${fmtDuration(s)} ago`;
}

function fmtDuration(s) {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

// ---- gallery ----
function listQuery() {
  const q = new URLSearchParams({limit: String(PAGE)});
  if (state.filter.camera) q.set('camera', state.filter.camera);
  if (state.filter.day) {
    const [y, m, d] = state.filter.day.split('-').map(Number);
    const from = new Date(y, m - 1, d).getTime();  // local midnight
    q.set('from', String(from));
    q.set('to', String(new Date(y, m - 1, d + 1).getTime()));
  }
  if (state.filter.flag) q.set('flag', state.filter.flag);
  if (state.filter.subject) q.set('subject', state.filter.subject);
  if (state.cursor) q.set('cursor', state.cursor);
  return q.toString();
}

function resetGallery() {
  state.generation++;
  state.items = [];
  state.cursor = null;
  state.lastDay = '';
  state.loading = false;
  $('grid').replaceChildren();
  $('empty').hidden = true;
  $('filter-clear').hidden = !state.filter.camera && !state.filter.day &&
      !state.filter.flag && !state.filter.subject;
  renderChips();
  loadMore(true);
}

async function loadMore(first = false) {
  if (state.loading || (!first && !state.cursor)) return;
  state.loading = true;
  $('spinner').hidden = false;
  const gen = state.generation;
  try {
    const page = await api('/api/snapshots?' + listQuery());
    if (gen !== state.generation) return;
    appendItems(page.items);
    state.cursor = page.next_cursor;
    $('empty').hidden = state.items.length > 0;
    $('summary').textContent = state.items.length
        ? `${state.items.length}${state.cursor ? '+' : ''} snapshots` : '';
  } catch (e) {
    toast(`Could not load snapshots: ${e.message}`, 'error');
  } finally {
    if (gen === state.generation) {
      state.loading = false;
      $('spinner').hidden = true;
      // Keep filling while the sentinel is still on screen.
      if (state.cursor && sentinelVisible()) loadMore();
    }
  }
}

function sentinelVisible() {
  const r = $('sentinel').getBoundingClientRect();
  return r.top < window.innerHeight + 800;
}

function appendItems(items) {
  const grid = $('grid');
  const frag = document.createDocumentFragment();
  for (const s of items) {
    const index = state.items.push(s) - 1;
    const day = dayKey(s.captured_at_ms);
    if (day !== state.lastDay) {
      state.lastDay = day;
      frag.append(el('h2', {class: 'day', 'data-day': day, text: dayLabel(s.captured_at_ms)}));
    }
    frag.append(tile(s, index));
  }
  grid.append(frag);
}

function tile(s, index) {
  const img = el('img', {src: s.thumbnail_url, alt: `${s.camera} at ${fmtFull.format(new Date(s.captured_at_ms))}`,
                         loading: 'lazy', decoding: 'async', width: '320', height: '180'});
  img.addEventListener('load', () => img.classList.add('loaded'));
  const a = el('a', {class: 'tile', href: `#/snapshot/${s.id}`, 'data-id': String(s.id)},
      img,
      el('div', {class: 'tile-caption'},
         el('span', {class: 'cam', text: s.camera}),
         el('time', {text: fmtTime.format(new Date(s.captured_at_ms))})));
  if (s.kept) a.append(el('span', {class: 'badge keep', text: 'kept', title: 'Never deleted by retention'}));
  if (s.flags && s.flags.length) {
    a.append(el('div', {class: 'tile-flags'}, ...s.flags.map((f) => el('span', {class: 'flag', text: f.replace(/_/g, ' ')}))));
  }
  a.addEventListener('click', () => { state.detailIndex = index; });
  return a;
}

function renderChips() {
  const box = $('camera-chips');
  const chip = (name, label) => el('button', {
    type: 'button', class: 'chip' + (state.filter.camera === name ? ' active' : ''),
    'data-camera': name, text: label,
    onclick: () => { state.filter.camera = name; resetGallery(); },
  });
  box.replaceChildren(chip('', 'All cameras'), ...state.cameras.map((c) => chip(c.name, c.name)));
}

async function loadCameras() {
  const data = await api('/api/cameras');
  state.cameras = data.items;
  return data;
}

// ---- detail ----
async function openDetail(id) {
  let s = state.items[state.detailIndex];
  if (!s || s.id !== id) {
    state.detailIndex = state.items.findIndex((x) => x.id === id);
    s = state.items[state.detailIndex];
  }
  if (!s) {
    try { s = await api(`/api/snapshots/${id}`); } catch (e) { toast(e.message, 'error'); location.hash = '#/'; return; }
  }
  renderDetail(s);
  $('detail').hidden = false;
  document.body.classList.add('no-scroll');
}

function renderDetail(s) {
  $('detail-image').src = s.image_url;
  $('detail-image').alt = `${s.camera} snapshot`;
  $('detail-title').textContent = s.camera;
  $('detail-time').textContent = fmtFull.format(new Date(s.captured_at_ms));
  const meta = $('detail-meta');
  meta.replaceChildren();
  const rows = [['Resolution', `${s.width} × ${s.height}`], ['Size', fmtBytes(s.size_bytes)],
                ['File', s.path], ['Snapshot id', String(s.id)]];
  for (const [k, v] of rows) meta.append(el('dt', {text: k}), el('dd', {text: v}));
  renderDetailAudio(s);
  const keep = $('detail-keep');
  keep.textContent = s.kept ? 'Kept ✓' : 'Keep';
  keep.classList.toggle('primary', s.kept);
  keep.onclick = () => toggleKeep(s);
  $('detail-download').href = s.image_url;
  $('detail-download').setAttribute('download', `${s.camera}-${s.id}.jpg`);
  $('detail-prev').disabled = state.detailIndex <= 0;
  $('detail-next').disabled = state.detailIndex < 0 || state.detailIndex >= state.items.length - 1;
  const report = $('detail-report');
  if (s.report) {
    report.replaceChildren(el('p', {text: typeof s.report === 'string' ? s.report : JSON.stringify(s.report)}));
  }
}

// The clip recorded beside the snapshot (issue 5): an <audio> player under
// the metadata, absent when the snapshot has none.
function renderDetailAudio(s) {
  let player = document.getElementById('detail-audio');
  if (!s.audio) { if (player) player.remove(); return; }
  if (!player) {
    player = el('audio', {});
    player.id = 'detail-audio';
    player.controls = true;
    player.preload = 'none';
    $('detail-meta').after(player);
  }
  if (player.getAttribute('src') !== s.audio_url) player.src = s.audio_url;
}

async function toggleKeep(s) {
  try {
    const updated = await api(`/api/snapshots/${s.id}/keep`, {method: 'POST', body: JSON.stringify({kept: !s.kept})});
    Object.assign(s, updated);
    renderDetail(s);
    const t = document.querySelector(`.tile[data-id="${s.id}"]`);
    if (t) t.replaceWith(tile(s, state.detailIndex));
    toast(s.kept ? 'Snapshot kept: retention will not delete it' : 'Keep mark removed');
  } catch (e) {
    toast(`Could not update: ${e.message}`, 'error');
  }
}

function stepDetail(delta) {
  const i = state.detailIndex + delta;
  if (i < 0 || i >= state.items.length) return;
  state.detailIndex = i;
  location.replace(`#/snapshot/${state.items[i].id}`);
  if (i >= state.items.length - 3) loadMore();
}

function closeDetail() {
  $('detail').hidden = true;
  $('detail-image').removeAttribute('src');
  document.body.classList.remove('no-scroll');
}

// ---- cameras ----
async function renderCameras() {
  let data;
  try { data = await loadCameras(); } catch (e) { toast(e.message, 'error'); return; }
  const online = data.items.filter((c) => c.online).length;
  const configured = data.items.filter((c) => c.configured).length;
  $('cameras-summary').textContent =
      `${online} of ${configured} online · ${data.total_snapshots} snapshots · ${fmtBytes(data.total_bytes)}`;
  $('camera-cards').replaceChildren(...data.items.map(cameraCard));
}

function cameraState(c) {
  if (!c.configured) return ['removed', 'Not configured'];
  if (!c.enabled) return ['disabled', 'Disabled'];
  if (c.online) return ['online', 'Online'];
  if (c.last_attempt_ms == null) return ['pending', 'Waiting'];
  return ['offline', 'Offline'];
}

function cameraCard(c) {
  const [cls, label] = cameraState(c);
  const latest = c.latest_snapshot;
  const shot = latest
      ? el('img', {src: latest.thumbnail_url, alt: `Latest snapshot of ${c.name}`, loading: 'lazy'})
      : el('div', {class: 'no-shot', text: 'No snapshot yet'});
  const preview = el('a', {class: 'card-preview', href: latest ? `#/snapshot/${latest.id}` : '#/cameras'}, shot);
  const stats = el('dl', {class: 'meta compact'});
  const rows = [['Last snapshot', fmtAgo(latest ? latest.captured_at_ms : null)],
                ['Snapshots', `${c.snapshot_count} · ${fmtBytes(c.snapshot_bytes)}`]];
  if (c.configured) {
    rows.push(['Captures', `${c.captures_total} ok · ${c.failures_total} failed`]);
    rows.push(['Interval', `every ${fmtDuration(Math.round(c.interval_s))}`]);
    if (c.next_attempt_ms != null) rows.push(['Next capture', fmtAgo(c.next_attempt_ms)]);
  }
  for (const [k, v] of rows) stats.append(el('dt', {text: k}), el('dd', {text: v}));
  const card = el('article', {class: 'card', 'data-camera': c.name},
      preview,
      el('div', {class: 'card-body'},
         el('div', {class: 'card-head'},
            el('h2', {text: c.name}),
            el('span', {class: `status ${cls}`, text: label})),
         el('p', {class: 'muted small', text: c.configured ? `${c.kind} · ${c.description}` : 'Snapshots kept from an earlier configuration'}),
         c.last_error ? el('p', {class: 'error-box', text: c.last_error}) : null,
         stats));
  if (c.configured) {
    const snap = el('button', {class: 'btn primary', type: 'button', text: 'Snap now', 'data-action': 'snap'});
    snap.addEventListener('click', () => snapNow(c.name, snap));
    const browse = el('a', {class: 'btn ghost', href: '#/', text: 'Browse',
                            onclick: () => { state.filter.camera = c.name; state.filter.day = ''; $('filter-date').value = ''; }});
    card.querySelector('.card-body').append(el('div', {class: 'card-actions'}, snap, browse));
  }
  return card;
}

async function snapNow(name, button) {
  button.disabled = true;
  button.textContent = 'Capturing…';
  try {
    const s = await api(`/api/cameras/${encodeURIComponent(name)}/snap`, {method: 'POST'});
    toast(`${name}: snapshot #${s.id} stored`, 'ok');
  } catch (e) {
    toast(`${name}: ${e.message}`, 'error');
  } finally {
    await renderCameras();
  }
}

// ---- routing ----
function route() {
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/snapshot\/(\d+)$/);
  const view = hash.startsWith('#/cameras') ? 'cameras'
      : hash.startsWith('#/alerts') ? 'alerts' : 'gallery';
  clearInterval(state.camerasTimer);
  $('tab-gallery').classList.toggle('active', view === 'gallery');
  $('tab-cameras').classList.toggle('active', view === 'cameras');
  $('tab-alerts').classList.toggle('active', view === 'alerts');
  $('view-alerts').hidden = view !== 'alerts';
  if (view === 'alerts') {  // live.js
    closeDetail();
    $('view-gallery').hidden = true;
    $('view-cameras').hidden = true;
    showAlerts();
    return;
  }
  if (m) {
    if ($('view-cameras').hidden && $('view-gallery').hidden) showGallery();
    openDetail(Number(m[1]));
    return;
  }
  closeDetail();
  if (view === 'cameras') {
    $('view-gallery').hidden = true;
    $('view-cameras').hidden = false;
    renderCameras();
    state.camerasTimer = setInterval(renderCameras, 10000);
  } else {
    showGallery();
  }
}

function showGallery() {
  const wasHidden = $('view-gallery').hidden;
  $('view-cameras').hidden = true;
  $('view-gallery').hidden = false;
  if (wasHidden || state.items.length === 0) resetGallery();
  else renderChips();
}

async function main() {
  try {
    const session = await api('/api/session');
    state.csrf = session.csrf_token || '';
    await loadCameras();
  } catch (e) {
    return;
  }
  $('logout').addEventListener('click', async () => {
    await api('/api/logout', {method: 'POST'}).catch(() => {});
    location.replace('/login');
  });
  $('filter-date').addEventListener('change', (ev) => { state.filter.day = ev.target.value; resetGallery(); });
  $('filter-clear').addEventListener('click', () => {
    state.filter = {camera: '', day: '', flag: '', subject: ''};
    $('filter-date').value = '';
    $('filter-flag').value = '';
    $('filter-subject').value = '';
    resetGallery();
  });
  $('refresh').addEventListener('click', resetGallery);
  $('detail-close').addEventListener('click', () => history.length > 1 ? history.back() : (location.hash = '#/'));
  $('detail-prev').addEventListener('click', () => stepDetail(-1));
  $('detail-next').addEventListener('click', () => stepDetail(1));
  $('detail').addEventListener('click', (ev) => { if (ev.target === $('detail')) $('detail-close').click(); });
  document.addEventListener('keydown', (ev) => {
    if ($('detail').hidden) return;
    if (ev.key === 'Escape') $('detail-close').click();
    if (ev.key === 'ArrowLeft') stepDetail(-1);
    if (ev.key === 'ArrowRight') stepDetail(1);
  });
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadMore();
  }, {rootMargin: '800px'}).observe($('sentinel'));
  window.addEventListener('hashchange', route);
  route();
}

main();
