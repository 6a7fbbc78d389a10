// Courtside dashboard: live progress and the busy page's self-recovery. Plain JS, no framework;
// values are set with textContent, never as markup.
'use strict';

(function () {
  const POLL_MS = 1000;

  function fmtTime(iso) {
    return typeof iso === 'string' && iso.length >= 19 ? iso.slice(0, 10) + ' ' + iso.slice(11, 19) : '';
  }

  function set(panel, field, text) {
    const el = panel.querySelector('[data-field="' + field + '"]');
    if (el) el.textContent = text;
  }

  /** Shows one /api/progress answer ({ progress, live }) in the panel; returns whether a run is live. */
  function showProgress(panel, state) {
    const p = state && state.live ? state.progress : null;
    panel.querySelector('[data-part="idle"]').hidden = p !== null;
    panel.querySelector('[data-part="running"]').hidden = p === null;
    if (p === null) return false;
    set(panel, 'command', p.command);
    set(panel, 'run_id', p.run_id);
    set(panel, 'pid', String(p.pid));
    set(panel, 'label', p.label);
    set(panel, 'partitions_done', p.partitions_done.toLocaleString('en-US'));
    set(panel, 'partitions_total', p.partitions_total.toLocaleString('en-US'));
    set(panel, 'current', p.current_processor ? p.current_processor + ' ' + (p.current_batch || '') : 'planning');
    set(panel, 'started_at', fmtTime(p.started_at));
    set(panel, 'updated_at', fmtTime(p.updated_at));
    const bar = panel.querySelector('[data-field="bar"]');
    if (bar) {
      bar.max = Math.max(p.partitions_total, 1);
      bar.value = p.partitions_done;
    }
    return true;
  }

  async function getJson(url) {
    try {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      return res.ok ? await res.json() : null;
    } catch (e) {
      return null; // the server restarting: try again at the next tick
    }
  }

  const panel = document.getElementById('live-progress');
  const busy = document.getElementById('busy');

  if (busy) {
    // Busy page: follow the running job until the warehouse can be read, then show the page asked for.
    const tick = async function () {
      const status = await getJson(busy.dataset.statusPoll);
      if (status && status.warehouse === 'ready') {
        location.reload();
        return;
      }
      if (status) {
        if (panel) showProgress(panel, status);
        const msg = document.getElementById('busy-message');
        if (msg && status.message) msg.textContent = status.message;
      }
      setTimeout(tick, POLL_MS);
    };
    setTimeout(tick, POLL_MS);
  } else if (panel) {
    // Runs page: show a run that starts meanwhile; when it ends, reload to list it.
    let wasLive = !panel.querySelector('[data-part="running"]').hidden;
    const tick = async function () {
      const state = await getJson(panel.dataset.poll);
      if (state) {
        const live = showProgress(panel, state);
        if (wasLive && !live) {
          location.reload();
          return;
        }
        wasLive = live;
      }
      setTimeout(tick, POLL_MS * 2);
    };
    setTimeout(tick, POLL_MS);
  }
})();
