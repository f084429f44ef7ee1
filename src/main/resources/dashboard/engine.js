// The engine view: everything GET /api/status tells (lanes, totals, cache, dead letters, graph runs) plus the
// reply-path recall histogram from GET /metrics. Rates and the live histogram are differences between polls.

import { api, text, query, explain } from './api.js';
import { el, setText, format, lineChart, histogram } from './charts.js';

const HISTORY = 80; // rate points kept (about two minutes at one poll every 1.5 s)
const RATES = [
  { key: 'submitted', cls: 's1' },
  { key: 'succeeded', cls: 's2' },
  { key: 'failed', cls: 's3' },
  { key: 'retried', cls: 's4' },
  { key: 'dead', cls: 's5' },
];
const BIN_EDGES_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];
const HISTOGRAM_WINDOW_MS = 60_000;
const BUCKET = /^engram_recall_seconds_bucket\{(?:[^}]*,)?le="([^"]+)"[^}]*\}\s+(\S+)/;

/** The lanes of a tasks section: tasks.lanes when present, else every member that has a capacity. */
export function lanesOf(tasks) {
  const source = tasks.lanes && typeof tasks.lanes === 'object' ? tasks.lanes : tasks;
  return Object.entries(source).filter(([, v]) => v && typeof v === 'object' && 'capacity' in v);
}

/** Cumulative recall counts by upper bound in ms, from Prometheus text (empty when the meter is absent). */
export function recallBuckets(metrics) {
  const buckets = new Map();
  for (const line of metrics.split('\n')) {
    const m = BUCKET.exec(line);
    if (m) buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000, Number(m[2]));
  }
  return buckets;
}

/** Counts per display bin (upper edges BIN_EDGES_MS, labelled in ms or s, then "more") from cumulative buckets. */
export function rebin(buckets) {
  const cumulative = edge => {
    let best = 0;
    for (const [le, count] of buckets) if (le <= edge) best = Math.max(best, count);
    return best;
  };
  const bins = [];
  let below = 0;
  for (const edge of [...BIN_EDGES_MS, Infinity]) {
    const c = cumulative(edge);
    const label = edge === Infinity ? 'more' : edge >= 1000 ? `${edge / 1000}s` : String(edge);
    bins.push({ label, count: Math.max(0, c - below) });
    below = Math.max(below, c);
  }
  return bins;
}

function minus(now, then) {
  const d = new Map();
  for (const [le, count] of now) d.set(le, count - (then.get(le) || 0));
  return d;
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}

/** A dead letter's task id: the status shows the engine's TaskId as {"value": "..."}; the task API as a string. */
function taskId(t) {
  return typeof t.id === 'object' && t.id !== null ? t.id.value : t.id ?? t.task_id;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export class EngineView {
  constructor() {
    this.previous = null; // {at, totals}
    this.rates = Object.fromEntries(RATES.map(r => [r.key, []]));
    this.scrapes = []; // {at, buckets} within the histogram window
    this.canRetry = null; // unknown until the server is asked whether it has the dead-letter API
    this.retryProbe = undefined;
    this.retryNotes = new Map(); // task id → outcome of its last Retry, kept across redraws
  }

  /** Polls once and redraws; resolves to the status (the memory view uses its counts). */
  async refresh() {
    const status = await api('/api/status');
    let metrics = null;
    try {
      metrics = await text('/metrics');
    } catch (e) {
      metrics = null; // the histogram says it has no data
    }
    const now = Date.now();
    this.counts(status);
    if (status.tasks) this.tasks(status.tasks, now);
    this.latency(status.recall_latency_ms, metrics, now);
    this.graph(status.graph);
    return status;
  }

  counts(s) {
    setText('count-messages', format(s.counts?.messages));
    setText('count-chats', format(s.counts?.chats));
    setText('count-memories', format(s.memory?.instant_memories));
    setText('count-indexed', format(s.memory?.indexed_messages));
    setText('uptime', duration(s.uptime_s || 0));
  }

  tasks(tasks, now) {
    const body = document.getElementById('lanes');
    for (const [name, lane] of lanesOf(tasks)) {
      let row = document.getElementById('lane-' + name);
      if (!row) {
        row = el('tr', { id: 'lane-' + name },
          el('th', { text: name }),
          ['queued', 'running', 'retry_waiting', 'capacity'].map(f => el('td', { id: `lane-${name}-${f}` })),
          el('td', { class: 'bar-col' }, el('meter', { id: `lane-${name}-busy`, min: 0, max: 1, value: 0 })));
        body.append(row);
      }
      for (const f of ['queued', 'running', 'retry_waiting', 'capacity']) setText(`lane-${name}-${f}`, format(lane[f]));
      const meter = document.getElementById(`lane-${name}-busy`);
      meter.max = Math.max(1, lane.capacity);
      meter.value = lane.running;
      meter.title = `${lane.running} of ${lane.capacity} running, queue bound ${lane.queue_bound ?? '–'}`
        + (lane.spilled ? ' (spilled to the outbox)' : '');
    }
    const totals = tasks.totals || {};
    setText('outbox', `${format(totals.in_outbox)} task(s) in the outbox · accepting: ${tasks.accepting ? 'yes' : 'no'}`);
    this.rateHistory(totals, now);
    this.cache(tasks.cache);
    this.deadLetters(tasks.dead_letters || [], totals.dead_letters_count ?? totals.dead);
  }

  rateHistory(totals, now) {
    if (this.previous) {
      const seconds = Math.max(0.001, (now - this.previous.at) / 1000);
      for (const { key } of RATES) {
        const points = this.rates[key];
        points.push(Math.max(0, ((totals[key] || 0) - (this.previous.totals[key] || 0)) / seconds));
        if (points.length > HISTORY) points.shift();
      }
    }
    this.previous = { at: now, totals };
    lineChart(document.getElementById('rates-chart'),
      RATES.map(r => ({ name: r.key, cls: r.cls, points: this.rates[r.key] })), { slots: HISTORY });
    document.getElementById('rates').replaceChildren(...RATES.map(r => el('div', {},
      el('dt', { text: r.key + '/s' }), el('dd', { id: 'rate-' + r.key, text: format(this.rates[r.key].at(-1) ?? 0, 1) }))));
    document.getElementById('totals').replaceChildren(...Object.entries(totals).map(([k, v]) => el('div', {},
      el('dt', { text: k.replaceAll('_', ' ') }), el('dd', { id: 'total-' + k, text: format(v) }))));
  }

  cache(c) {
    if (!c) return;
    setText('cache-hit-rate', c.hits + c.misses === 0 ? '–' : format(100 * c.hit_rate, 1) + ' %');
    setText('cache-hits', format(c.hits));
    setText('cache-misses', format(c.misses));
    setText('cache-entries', format(c.entries));
  }

  deadLetters(letters, total) {
    if (letters.length > 0 && this.retryProbe === undefined) this.probeRetry();
    setText('dead-count', `${format(total || 0)} in all, newest ${letters.length} shown`);
    setText('dead-note', letters.length === 0 ? 'No task has failed for good.'
      : 'Tasks that failed for good, with their last error' + (this.canRetry === true
        ? '; Retry puts one back in its lane.' : this.canRetry === false
          ? ' (read-only: this Engram has no dead-letter API).' : '.'));
    const newestFirst = letters.slice().sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
    document.getElementById('dead-letters').replaceChildren(...newestFirst.map(t => {
      const id = taskId(t);
      return el('li', { class: 'dead', 'data-id': id },
        el('div', { class: 'meta' },
          el('code', { text: id }),
          ` ${String(t.type).toLowerCase()} · chat ${t.chat_id ?? '–'} · ${t.attempts} attempt(s) · ${when(t.updated_at)}`),
        el('div', { class: 'error', text: t.error ?? '(no error recorded)' }),
        this.canRetry === true ? el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'retry', text: 'Retry', onclick: () => this.retry(id) }),
          el('span', { class: 'note', text: this.retryNotes.get(id) ?? '' })) : null);
    }));
  }

  /** Whether the server offers POST /api/tasks/{id}/retry (GET /api/tasks?state=dead answers), asked once. */
  probeRetry() {
    this.retryProbe = api('/api/tasks' + query({ state: 'dead', limit: 1 })).then(
      () => { this.canRetry = true; },
      e => {
        if (e.status === 401) this.retryProbe = undefined; // asked again once the token is in
        else this.canRetry = false;
      });
  }

  async retry(id) {
    try {
      const t = await api(`/api/tasks/${encodeURIComponent(id)}/retry`, { method: 'POST' });
      this.retryNotes.set(id, `requeued (${String(t.state).toLowerCase()})`);
    } catch (e) {
      this.retryNotes.set(id, explain(e, 'Retry'));
    }
    const note = document.querySelector(`#dead-letters li[data-id="${CSS.escape(id)}"] .note`);
    if (note) note.textContent = this.retryNotes.get(id);
  }

  latency(l, metrics, now) {
    if (l) {
      for (const k of ['p50', 'p95', 'p99', 'max']) setText('lat-' + k, format(l[k], 1));
      setText('lat-count', format(l.count));
    }
    const container = document.getElementById('latency-histogram');
    const buckets = metrics === null ? new Map() : recallBuckets(metrics);
    if (buckets.size === 0) {
      container.replaceChildren(el('p', { class: 'note', text: 'No recall histogram in /metrics (memory off?).' }));
      setText('latency-window', '');
      return;
    }
    this.scrapes.push({ at: now, buckets });
    while (this.scrapes.length > 1 && now - this.scrapes[0].at > HISTOGRAM_WINDOW_MS) this.scrapes.shift();
    const recent = minus(buckets, this.scrapes[0].buckets);
    const recentCount = recent.get(Infinity) || 0;
    const shown = recentCount > 0 ? recent : buckets;
    histogram(container, rebin(shown));
    setText('latency-window', recentCount > 0
      ? `${format(recentCount)} recall(s) in the last ${Math.round((now - this.scrapes[0].at) / 1000)} s`
      : `no recall lately: all ${format(buckets.get(Infinity) || 0)} since start`);
  }

  graph(g) {
    const box = document.getElementById('graph-runs');
    if (!g) {
      box.replaceChildren(el('p', { class: 'note', text: 'Memory is off: no graph.' }));
      return;
    }
    document.getElementById('graph-size').replaceChildren(...['nodes', 'edges', 'items', 'version'].map(k => el('div', {},
      el('dt', { text: k }), el('dd', { id: 'graph-' + k, text: format(g[k]) }))));
    const b = g.current_build;
    const current = b
      ? el('div', { class: 'run running' }, el('h3', { text: 'build running' }),
        el('p', { text: `${b.step}: ${b.samples_done}/${b.samples_found}/${b.samples_planned} samples (done/found/planned), `
          + `${b.samples_failed} failed, ${b.topics} topics · since ${when(b.started_at)}` }))
      : el('div', { class: 'run' }, el('h3', { text: 'current build' }), el('p', { text: 'none running' }));
    const last = (title, r) => el('div', { class: 'run ' + (r ? r.outcome : '') }, el('h3', { text: title }),
      el('p', { text: r ? `${r.outcome} · ${when(r.started_at)} · ${format(r.duration_millis)} ms` : 'not yet' }),
      r ? el('p', { class: 'summary', text: r.summary }) : null);
    box.replaceChildren(current, last('last build', g.last_build), last('last forget', g.last_forget),
      last('last consolidate', g.last_consolidate));
  }
}
