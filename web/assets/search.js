// SPDX-License-Identifier: Apache-2.0
// Gallery search box over analysis reports (GET /api/search, SQLite FTS5)
// and the analysis status line (GET /api/analysis/status). Kept apart from
// app.js/live.js; uses their globals el(), api(), toast(), $().
'use strict';

(function () {
  const fmt = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

  function searchBox() {
    const input = el('input', {id: 'search-q', type: 'search', placeholder: 'Search reports…',
                               'aria-label': 'Search reports', maxlength: '200'});
    const form = el('form', {class: 'search', role: 'search'}, input);
    form.addEventListener('submit', (e) => { e.preventDefault(); run(input.value.trim()); });
    input.addEventListener('search', () => { if (!input.value) close(); });
    return form;
  }

  function panel() {
    let p = $('search-results');
    if (!p) {
      p = el('section', {id: 'search-results', class: 'search-results', hidden: ''});
      $('grid').before(p);
    }
    return p;
  }

  function close() {
    panel().hidden = true;
    $('grid').hidden = false;
  }

  // Renders "[word]" snippet markers as <mark>, safely (textContent only).
  function snippet(text) {
    const p = el('p', {class: 'snippet'});
    const parts = String(text || '').split(/(\[[^\]]*\])/);
    for (const part of parts) {
      if (part.startsWith('[') && part.endsWith(']')) p.append(el('mark', {text: part.slice(1, -1)}));
      else if (part) p.append(document.createTextNode(part));
    }
    return p;
  }

  function hit(h) {
    const flags = (h.report && Array.isArray(h.report.flags)) ? h.report.flags : [];
    return el('a', {class: 'search-hit', href: `#/snapshot/${h.snapshot_id}`},
        el('img', {src: `/api/snapshots/${h.snapshot_id}/thumbnail`, alt: '', loading: 'lazy',
                   width: '160', height: '90'}),
        el('div', {class: 'search-text'},
           el('div', {class: 'search-head', text: `${h.camera} · ${fmt.format(new Date(h.captured_at_ms))}`}),
           snippet(h.snippet),
           flags.length ? el('div', {class: 'tile-flags'},
               ...flags.map((f) => el('span', {class: 'flag', text: f.replace(/_/g, ' ')}))) : null));
  }

  async function run(q) {
    if (!q) { close(); return; }
    const p = panel();
    try {
      const cam = (typeof state === 'object' && state.filter && state.filter.camera) || '';
      const url = `/api/search?q=${encodeURIComponent(q)}` + (cam ? `&camera=${encodeURIComponent(cam)}` : '');
      const res = await api(url);
      p.replaceChildren(el('div', {class: 'search-bar'},
          el('strong', {text: `${res.items.length} report${res.items.length === 1 ? '' : 's'} for “${q}”`}),
          el('button', {class: 'btn ghost', type: 'button', text: 'Close', onclick: close})));
      for (const h of res.items) p.append(hit(h));
      p.hidden = false;
      $('grid').hidden = true;
    } catch (e) {
      toast(e.message, 'error');
    }
  }

  async function status() {
    try {
      const s = await api('/api/analysis/status');
      let line = $('analysis-status');
      if (!line) {
        line = el('p', {id: 'analysis-status', class: 'summary muted'});
        $('summary').after(line);
      }
      line.textContent = s.model_loaded
          ? `Analysis: ${s.model} · ${s.reports} reports · ${s.queued} queued`
          : `Analysis off: ${s.message}`;
    } catch (e) { /* the gallery works without it */ }
  }

  document.addEventListener('DOMContentLoaded', () => {
    const bar = document.querySelector('#view-gallery .filter-right');
    if (bar) bar.prepend(searchBox());
    status();
    setInterval(status, 30000);
  });
})();
