// SPDX-License-Identifier: Apache-2.0
// Live gallery (issue 6): /api/events (Server-Sent Events) adds new
// snapshots without a reload, updates tiles and the open snapshot when a
// report arrives, toasts alerts, refreshes camera cards; fills the flag /
// subject filters; renders the alerts timeline (#/alerts). Uses app.js's
// globals (state, el, api, tile, ...). Server data goes in with
// textContent/attributes only.
'use strict';

const FLAGS = ['person_at_door', 'unknown_vehicle', 'package_delivered', 'animal',
               'fire_or_smoke', 'door_or_gate_open', 'night_activity', 'audio_alarm'];
const live = {source: null, connected: false, alertsBefore: null, cameraTimer: 0};
window.vigilLive = live;  // read by the browser test

function subjectKinds(s) {
  const r = s.report;
  if (!r || typeof r !== 'object' || !Array.isArray(r.subjects)) return [];
  return r.subjects.map((x) => x && x.kind).filter(Boolean);
}

function matchesFilter(s) {
  const f = state.filter;
  if (f.camera && s.camera !== f.camera) return false;
  if (f.day && dayKey(s.captured_at_ms) !== f.day) return false;
  if (f.flag && !(s.flags || []).includes(f.flag)) return false;
  if (f.subject && !subjectKinds(s).includes(f.subject)) return false;
  return true;
}

// Puts a new snapshot at the top of the grid (newest first).
function prependSnapshot(s) {
  if (state.items.some((x) => x.id === s.id) || !matchesFilter(s)) return;
  if (state.items.length && s.captured_at_ms < state.items[0].captured_at_ms) return;
  state.items.unshift(s);
  if (state.detailIndex >= 0) state.detailIndex++;
  const grid = $('grid');
  const t = tile(s, 0);
  t.classList.add('fresh');
  const first = grid.firstElementChild;
  if (first && first.tagName === 'H2' && first.dataset.day === dayKey(s.captured_at_ms)) {
    first.after(t);
  } else {
    const h = el('h2', {class: 'day', text: dayLabel(s.captured_at_ms)});
    h.dataset.day = dayKey(s.captured_at_ms);
    grid.prepend(h, t);
    if (!state.lastDay) state.lastDay = h.dataset.day;
  }
  $('empty').hidden = true;
  $('summary').textContent = `${state.items.length}${state.cursor ? '+' : ''} snapshots`;
}

// A report arrived for a snapshot: refresh its tile and the open detail.
function updateSnapshot(s) {
  const i = state.items.findIndex((x) => x.id === s.id);
  if (i < 0) {
    prependSnapshot(s);
    return;
  }
  Object.assign(state.items[i], s);
  const old = document.querySelector(`.tile[data-id="${s.id}"]`);
  if (old) {
    const t = tile(state.items[i], i);
    t.classList.add('fresh');
    old.replaceWith(t);
  }
  if (!$('detail').hidden && location.hash === `#/snapshot/${s.id}`) renderReport(state.items[i]);
}

// The analysis panel of the open snapshot: scene, activity, subjects, flags.
function renderReport(s) {
  const box = $('detail-report');
  const r = s.report;
  if (!r) return;
  if (typeof r !== 'object') {
    box.replaceChildren(el('p', {text: String(r)}));
    return;
  }
  const parts = [];
  if (r.scene) parts.push(el('p', {class: 'scene', text: r.scene}));
  if (r.activity) parts.push(el('p', {class: 'activity', text: r.activity}));
  if (Array.isArray(r.subjects) && r.subjects.length) {
    parts.push(el('ul', {class: 'subjects'}, ...r.subjects.map((x) => el('li', {
      text: `${x.count || 1} × ${x.kind || 'other'}${x.description ? ': ' + x.description : ''}`}))));
  }
  if ((s.flags || []).length) {
    parts.push(el('div', {class: 'tile-flags static'},
        ...s.flags.map((f) => el('span', {class: 'flag', text: f.replace(/_/g, ' ')}))));
  }
  box.replaceChildren(...parts);
}

// ---- alerts timeline ----
function alertItem(a) {
  const n = a.notification || {};
  const li = el('li', {class: 'alert-item', 'data-id': a.id, 'data-created': String(a.created_at_ms)});
  if (a.snapshot_id != null) {
    const img = el('img', {src: `/api/snapshots/${a.snapshot_id}/thumbnail`, alt: '', loading: 'lazy',
                           width: '160', height: '90'});
    li.append(el('a', {href: `#/snapshot/${a.snapshot_id}`, class: 'alert-thumb'}, img));
  }
  const flags = (n.flags || []).map((f) => el('span', {class: 'flag', text: f.replace(/_/g, ' ')}));
  li.append(el('div', {class: 'alert-body'},
      el('div', {class: 'alert-head'},
         el('strong', {text: n.title || a.camera}),
         el('span', {class: 'stage ' + a.stage, text: a.stage}),
         el('time', {class: 'muted', text: fmtFull.format(new Date(a.created_at_ms))})),
      el('p', {text: n.message || ''}),
      el('div', {class: 'tile-flags static'}, ...flags),
      el('p', {class: 'muted small', text: `rule ${a.rule} · ${a.camera} · revision ${a.revision}`})));
  return li;
}

async function loadAlerts(more = false) {
  const q = new URLSearchParams({limit: '50'});
  if (more && live.alertsBefore) q.set('before', String(live.alertsBefore));
  try {
    const data = await api('/api/alerts?' + q.toString());
    const list = $('alert-list');
    if (!more) list.replaceChildren();
    list.append(...data.items.map(alertItem));
    live.alertsBefore = data.next_before;
    $('alerts-more').hidden = !data.next_before;
    const n = list.children.length;
    $('alerts-summary').textContent = !data.enabled ? 'Alerts are not configured.'
        : n ? `${n}${data.next_before ? '+' : ''} alerts` : 'No alerts yet.';
  } catch (e) {
    toast(`Could not load alerts: ${e.message}`, 'error');
  }
}

function showAlerts() {
  loadAlerts(false);
}

// An alert fired or was updated (same id): upsert it in the timeline.
function onAlert(n) {
  toast(n.title || 'Alert');
  if ($('view-alerts').hidden) return;
  const a = {id: n.event_id, rule: n.rule, camera: n.camera, snapshot_id: n.snapshot_id,
             revision: n.revision, stage: n.stage, created_at_ms: Date.now(), notification: n};
  const old = document.querySelector(`.alert-item[data-id="${n.event_id}"]`);
  if (old) {
    a.created_at_ms = Number(old.dataset.created) || a.created_at_ms;
    old.replaceWith(alertItem(a));
  } else {
    $('alert-list').prepend(alertItem(a));
  }
}

// ---- the event stream ----
function connectEvents() {
  const source = new EventSource('/api/events');
  live.source = source;
  source.addEventListener('open', () => { live.connected = true; });
  source.addEventListener('error', () => { live.connected = false; });
  const on = (type, fn) => source.addEventListener(type, (ev) => {
    let data;
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    fn(data);
  });
  on('snapshot', prependSnapshot);
  on('report', updateSnapshot);
  on('alert', onAlert);
  on('camera', () => {
    if ($('view-cameras').hidden) return;
    clearTimeout(live.cameraTimer);
    live.cameraTimer = setTimeout(renderCameras, 300);
  });
}

function initLive() {
  const flag = $('filter-flag');
  for (const f of FLAGS) flag.append(el('option', {value: f, text: f.replace(/_/g, ' ')}));
  flag.addEventListener('change', (ev) => { state.filter.flag = ev.target.value; resetGallery(); });
  $('filter-subject').addEventListener('change', (ev) => { state.filter.subject = ev.target.value; resetGallery(); });
  $('alerts-more').addEventListener('click', () => loadAlerts(true));
  // The detail panel shows the structured report once app.js has drawn it.
  new MutationObserver(() => {
    const s = state.items.find((x) => location.hash === `#/snapshot/${x.id}`);
    if (s && s.report && typeof s.report === 'object' && !$('detail-report').querySelector('.scene, .activity, .subjects')) {
      renderReport(s);
    }
  }).observe($('detail-report'), {childList: true});
  if (location.pathname === '/') connectEvents();
}

initLive();
