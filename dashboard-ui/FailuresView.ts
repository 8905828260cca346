import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { type FailureEntry, getJson, postJson, type State } from './api.js';
import { short, time } from './format.js';

type Read =
  | { kind: 'read'; records: { eventName?: string; dynamodb?: Record<string, unknown> }[] }
  | { kind: 'lost'; reason: string };

const Failure = ({ entry }: { entry: FailureEntry }) => {
  const [records, setRecords] = useState<Read | { kind: 'error'; message: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(entry.redriven);
  const shown = result ?? entry.redriven;
  const { range } = entry;
  const file = entry.id.split('/').at(-1) ?? entry.id;
  return html`<div class="card" data-failure=${entry.id}>
    <h3>
      <code title=${entry.id}>${file}</code>
      <span class="muted">${entry.mappingIds.join(', ')}</span>
      ${
        shown === undefined
          ? null
          : html`<span class=${shown.ok ? 'ok badge' : 'warn badge'} data-redriven=${shown.ok ? 'ok' : 'failed'}>${shown.ok ? 'redriven' : 'redrive failed'}</span>`
      }
    </h3>
    <p>
      ${range.condition}: batch of ${range.batchSize} on <code title=${range.shardId}>${short(range.shardId, 14)}</code>,
      ${
        range.startSequenceNumber === range.endSequenceNumber
          ? html`sequence number <code>${range.startSequenceNumber}</code>`
          : html`sequence numbers <code>${range.startSequenceNumber}</code> to <code>${range.endSequenceNumber}</code>`
      },
      arrived ${time(range.firstArrival)}
    </p>
    ${shown === undefined ? null : html`<p class=${shown.ok ? 'ok' : 'error'} data-redrive-result>${shown.message}</p>`}
    <div class="row">
      <button
        data-action="records"
        onClick=${() =>
          getJson<Read>(`/_eddy/api/failure-records?id=${encodeURIComponent(entry.id)}`).then(
            setRecords,
            (e: Error) => setRecords({ kind: 'error', message: e.message }),
          )}
      >
        Show the batch's records
      </button>
      <button
        data-action="redrive"
        disabled=${busy}
        onClick=${async () => {
          setBusy(true);
          try {
            setResult(await postJson(`/_eddy/api/redrive`, { id: entry.id }));
          } catch (e) {
            setResult({ at: Date.now(), ok: false, message: (e as Error).message });
          } finally {
            setBusy(false);
          }
        }}
      >
        ${busy ? 'Redriving…' : 'Redrive'}
      </button>
    </div>
    ${
      records === undefined
        ? null
        : records.kind === 'read'
          ? html`<ol class="records" data-records-of=${entry.id}>
            ${records.records.map((r) => html`<li><code>${r.eventName} ${JSON.stringify(r.dynamodb?.Keys)} ${JSON.stringify(r.dynamodb?.NewImage ?? {})}</code></li>`)}
          </ol>`
          : html`<p class="warn">${records.kind === 'lost' ? `Not readable: ${records.reason}` : records.message}</p>`
    }
  </div>`;
};

/** The on-failure records of `eddy dev`'s local destinations, each with its batch's records and a redrive button. */
export const FailuresView = ({ state }: { state: State }) =>
  html`<section>
    ${
      state.failures.total > state.failures.entries.length
        ? html`<p class="muted">The newest ${state.failures.entries.length} of ${state.failures.total} on-failure records.</p>`
        : null
    }
    ${state.failures.problems.map((p) => html`<p class="error">${p.file}: ${p.message}</p>`)}
    ${
      state.failures.entries.length === 0
        ? html`<p class="muted" data-no-failures>
          No on-failure records${state.dev ? '' : ' (failures are written by the mappings of eddy dev)'}.
        </p>`
        : [...state.failures.entries]
            .reverse()
            .map((entry) => html`<${Failure} key=${entry.id} entry=${entry} />`)
    }
  </section>`;
