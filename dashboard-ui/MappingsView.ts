import { html } from 'htm/preact';
import type { MappingView } from './api.js';
import { age, short, time } from './format.js';
import { LagChart } from './LagChart.js';

const COUNTS: [string, (m: MappingView) => number][] = [
  ['batches in flight', (m) => m.inFlight],
  ['records behind', (m) => m.recordsBehind],
  ['invocations', (m) => m.activity.invocations],
  ['retries', (m) => m.activity.retries],
  ['bisects', (m) => m.activity.bisects],
  ['function errors', (m) => m.activity.functionErrors],
  ['partial failures', (m) => m.activity.partialFailures],
  ['polled', (m) => m.metrics.PolledEventCount ?? 0],
  ['filtered out', (m) => m.metrics.FilteredOutEventCount ?? 0],
  ['invoked', (m) => m.metrics.InvokedEventCount ?? 0],
  ['dropped', (m) => m.metrics.DroppedEventCount ?? 0],
  ['to on-failure destination', (m) => m.metrics.OnFailureDestinationDeliveredEventCount ?? 0],
  ['trimmed unread', (m) => m.metrics.TrimmedEventCount ?? 0],
];

const Mapping = ({ mapping }: { mapping: MappingView }) => {
  const error = mapping.activity.lastError;
  return html`<div class="card" data-mapping=${mapping.mappingId}>
    <h3>
      ${mapping.mappingId}
      <span class=${`badge state-${mapping.state}`} data-state>${mapping.state}</span>
      <span class="muted">${mapping.functionLabel} · ${mapping.region}</span>
    </h3>
    <p class="muted">
      ${Object.entries(mapping.settings)
        .map(
          ([name, value]) => `${name} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
        )
        .join(' · ')}
    </p>
    <div class="counts">
      ${COUNTS.map(
        ([label, of]) =>
          html`<div class="count" data-count=${label}><b>${of(mapping)}</b><span>${label}</span></div>`,
      )}
      <div class="count"><b>${age(mapping.metrics.IteratorAge ?? 0)}</b><span>iterator age</span></div>
    </div>
    ${
      error === undefined
        ? null
        : html`<div class="error" data-last-error>
          <b>Last error</b> (${time(error.at)}): ${error.message}
          ${
            error.shardId === undefined
              ? null
              : html`<div class="muted">
                record ${error.firstSequenceNumber ?? '?'} on ${short(error.shardId, 14)}${error.records === undefined ? '' : `, batch of ${error.records}`}
              </div>`
          }
        </div>`
    }
    <table class="grid small">
      <thead><tr><th>Shard</th><th>Iterator age</th><th>Records behind</th><th>In flight</th></tr></thead>
      <tbody>
        ${Object.entries(mapping.byShard).map(
          ([shardId, s]) => html`<tr>
            <td><code title=${shardId}>${short(shardId, 14)}</code></td>
            <td>${age(s.iteratorAge)}</td>
            <td>${s.recordsBehind}</td>
            <td>${s.inFlight}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <div class="charts">
      <${LagChart} history=${mapping.history ?? []} metric="iteratorAge" title="Iterator age (ms) per shard" />
      <${LagChart} history=${mapping.history ?? []} metric="recordsBehind" title="Records behind per shard" />
    </div>
  </div>`;
};

/** Each mapping of `eddy dev`: state, counts, the last error with its record, lag per shard over time. */
export const MappingsView = ({ mappings, dev }: { mappings: MappingView[]; dev: boolean }) =>
  html`<section>
    ${
      !dev
        ? html`<p class="muted">Mappings run under <code>eddy dev</code>; this is <code>eddy emulator</code> alone.</p>`
        : mappings.length === 0
          ? html`<p class="muted">No mappings.</p>`
          : mappings.map((mapping) => html`<${Mapping} mapping=${mapping} />`)
    }
  </section>`;
