// Reads each service's GET /metrics (Prometheus text) every 500 ms during the run: peak RSS,
// CPU seconds, event-loop lag, outbox backlog and age, and the handler-duration histograms.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const SCRAPE_TIMEOUT_MS = 2_000;
/**
 * prom-client samples the event loop every 10 ms and its lag figures include that interval
 * (an idle loop reports ~0.010 s); subtracting it leaves the delay a callback really waited.
 */
const LAG_SAMPLING_INTERVAL_S = 0.01;
const lagMs = (seconds) =>
  seconds === undefined ? undefined : Math.max(0, seconds - LAG_SAMPLING_INTERVAL_S) * 1000;

/** name -> [{ labels, value }] */
export function parsePrometheus(text) {
  const series = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    const list = series.get(match[1]) ?? [];
    list.push({ labels, value: Number(match[3]) });
    series.set(match[1], list);
  }
  return series;
}

const first = (series, name) => series.get(name)?.[0]?.value;

/** Successful handler runs per event type: { eventType: { count, sum, buckets: Map(le -> n) } }. */
function handlerHistograms(series) {
  const byType = {};
  const entry = (type) => (byType[type] ??= { count: 0, sum: 0, buckets: new Map() });
  const success = (labels) => labels.outcome === 'success';
  for (const { labels, value } of series.get('shop_message_handler_duration_seconds_count') ?? []) {
    if (success(labels)) entry(labels.event_type).count += value;
  }
  for (const { labels, value } of series.get('shop_message_handler_duration_seconds_sum') ?? []) {
    if (success(labels)) entry(labels.event_type).sum += value;
  }
  for (const { labels, value } of series.get('shop_message_handler_duration_seconds_bucket') ??
    []) {
    if (success(labels)) entry(labels.event_type).buckets.set(labels.le, value);
  }
  return byType;
}

/** Delta of two histogram snapshots: count, mean and the bucket bound holding the 99th percentile. */
function handlerDelta(before = {}, after = {}) {
  const result = {};
  for (const [type, end] of Object.entries(after)) {
    const start = before[type] ?? { count: 0, sum: 0, buckets: new Map() };
    const count = end.count - start.count;
    if (count <= 0) continue;
    const bounds = [...end.buckets.keys()].sort((a, b) => Number(a) - Number(b));
    const p99Bound = bounds.find(
      (le) => end.buckets.get(le) - (start.buckets.get(le) ?? 0) >= 0.99 * count,
    );
    result[type] = {
      count,
      meanMs: ((end.sum - start.sum) / count) * 1000,
      p99AtMostMs:
        p99Bound === undefined || p99Bound === '+Inf' ? undefined : Number(p99Bound) * 1000,
    };
  }
  return result;
}

export function startMetricsSampler(instances, { intervalMs = 500 } = {}) {
  const states = instances.map((instance) => ({
    instance,
    scrapes: 0,
    failures: 0,
    peakRssBytes: 0,
    latest: undefined,
    baseline: undefined,
    window: newWindow(),
  }));
  let stopped = false;

  async function scrape(state) {
    try {
      const response = await fetch(`${state.instance.url}/metrics`, {
        signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const series = parsePrometheus(await response.text());
      const sample = {
        at: performance.now(),
        rss: first(series, 'process_resident_memory_bytes'),
        cpuSeconds: first(series, 'process_cpu_seconds_total'),
        lagP99Ms: lagMs(first(series, 'nodejs_eventloop_lag_p99_seconds')),
        lagMeanMs: lagMs(first(series, 'nodejs_eventloop_lag_mean_seconds')),
        backlog: first(series, 'shop_outbox_backlog'),
        oldestPending: first(series, 'shop_outbox_oldest_pending_seconds'),
        handlers: handlerHistograms(series),
      };
      state.scrapes++;
      state.latest = sample;
      state.peakRssBytes = Math.max(state.peakRssBytes, sample.rss ?? 0);
      const w = state.window;
      w.lagP99MaxMs = Math.max(w.lagP99MaxMs, sample.lagP99Ms ?? 0);
      if (sample.lagMeanMs !== undefined) w.lagMeans.push(sample.lagMeanMs);
      w.backlogMax = Math.max(w.backlogMax, sample.backlog ?? 0);
      w.oldestPendingMaxS = Math.max(w.oldestPendingMaxS, sample.oldestPending ?? 0);
    } catch {
      state.failures++;
    }
  }

  const loops = states.map(async (state) => {
    while (!stopped) {
      const began = performance.now();
      await scrape(state);
      await sleep(Math.max(0, intervalMs - (performance.now() - began)));
    }
  });

  return {
    /** From now on, counters are reported as deltas and maxima restart (peak RSS excepted). */
    async markWindowStart() {
      await Promise.all(states.map(scrape));
      for (const state of states) {
        state.baseline = state.latest;
        state.window = newWindow();
      }
    },
    /** Stops scraping at once; a service being shut down waits for busy HTTP connections. */
    async halt() {
      stopped = true;
      await Promise.all(loops);
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      await Promise.all(states.map(scrape)); // the counters' final values
      return states.map(
        ({ instance, scrapes, failures, peakRssBytes, baseline, latest, window }) => {
          const seconds = baseline && latest ? (latest.at - baseline.at) / 1000 : undefined;
          return {
            label: instance.label,
            service: instance.service,
            scrapes,
            failedScrapes: failures,
            peakRssBytes: peakRssBytes || undefined,
            cpuPercent:
              seconds && latest.cpuSeconds !== undefined
                ? ((latest.cpuSeconds - baseline.cpuSeconds) / seconds) * 100
                : undefined,
            eventLoopLagP99MaxMs: window.lagP99MaxMs || undefined,
            eventLoopLagMeanMs: window.lagMeans.length
              ? window.lagMeans.reduce((a, b) => a + b, 0) / window.lagMeans.length
              : undefined,
            outboxBacklogMax: window.backlogMax,
            outboxOldestPendingMaxS: window.oldestPendingMaxS,
            handlers: handlerDelta(baseline?.handlers, latest?.handlers),
          };
        },
      );
    },
  };
}

function newWindow() {
  return { lagP99MaxMs: 0, lagMeans: [], backlogMax: 0, oldestPendingMaxS: 0 };
}
