import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { control, type JobView, type State } from './api.js';
import { age, time } from './format.js';

const KINDS = ['throttling', 'limitExceeded', 'provisionedThroughputExceeded', 'internalError'];

/** A running job that has said nothing for this long has likely ended without saying so (killed). */
const SILENT_MS = 10_000;

const STATE_CLASS: Record<string, string> = { running: 'badge', done: 'badge ok', failed: 'badge warn' };

/** One job: its state, how far it has come, its other counts, and what it said last. */
const JobItem = ({
  job,
}: {
  job: JobView;
}) => html`<li data-job=${job.id ?? job.name} data-job-state=${job.state}>
  <b>${job.name}</b> <span class=${STATE_CLASS[job.state] ?? 'badge'}>${job.state}</span>
  ${job.done}${job.total === undefined ? '' : ` of ${job.total}`} ${job.unit}
  ${job.total === undefined || job.total === 0 ? null : html`<progress max=${job.total} value=${job.done}></progress>`}
  ${
    job.figures === undefined
      ? null
      : html`<span class="figures">${Object.entries(job.figures).map(
          ([name, value]) => html`<span data-figure=${name}>${name} <b>${value}</b></span> `,
        )}</span>`
  }
  ${job.detail === undefined ? null : html`<div class=${job.state === 'failed' ? 'error' : 'muted'}>${job.detail}</div>`}
  ${
    job.state === 'running' && (job.silentForMs ?? 0) > SILENT_MS
      ? html`<div class="muted">no report for ${age(job.silentForMs ?? 0)}: the command may have ended</div>`
      : null
  }
</li>`;

/** The emulator's clock and injected faults, with the control actions; and the jobs that report progress. */
export const EmulatorView = ({ state }: { state: State }) => {
  const [operation, setOperation] = useState('GetRecords');
  const [count, setCount] = useState('1');
  const [kind, setKind] = useState('throttling');
  const [advance, setAdvance] = useState('60000');
  const [message, setMessage] = useState<string | undefined>();
  const act = (action: string, args: Record<string, unknown> = {}) =>
    control(action, args).then(
      (out) => setMessage(`${action}: ${JSON.stringify(out)}`),
      (e: Error) => setMessage(`${action}: ${e.message}`),
    );
  const { control: c } = state;
  return html`<section>
    <div class="card">
      <h3>Clock</h3>
      <p data-clock>${time(c.now)} ${c.manualClock ? html`<span class="badge">manual</span>` : html`<span class="muted">(system clock)</span>`}</p>
      ${
        c.manualClock
          ? html`<div class="row">
            <input value=${advance} onInput=${(e: Event) => setAdvance((e.target as HTMLInputElement).value)} size="10" /> ms
            <button onClick=${() => act('advanceClock', { ms: Number(advance) })}>Advance the clock</button>
          </div>`
          : null
      }
      <div class="row">
        <button onClick=${() => act('expireIterators')}>Expire every iterator</button>
        <button onClick=${() => act('sweepTtl')}>Sweep TTL now</button>
        ${c.iteratorsValidFrom === undefined ? null : html`<span class="muted">iterators issued before ${time(c.iteratorsValidFrom)} are expired</span>`}
      </div>
    </div>
    <div class="card">
      <h3>Injected faults</h3>
      ${
        c.faults.length === 0
          ? html`<p class="muted" data-faults="0">none pending</p>`
          : html`<ul data-faults=${c.faults.length}>
            ${c.faults.map((f) => html`<li>next ${f.remaining} × <code>${f.operation}</code> → ${f.kind}</li>`)}
          </ul>`
      }
      <div class="row">
        fail the next
        <input value=${count} size="3" onInput=${(e: Event) => setCount((e.target as HTMLInputElement).value)} />
        <input value=${operation} size="14" onInput=${(e: Event) => setOperation((e.target as HTMLInputElement).value)} />
        with
        <select value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value)}>
          ${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}
        </select>
        <button data-action="failNext" onClick=${() => act('failNext', { operation, count: Number(count), kind })}>Inject</button>
        <button onClick=${() => act('clearFaults')}>Clear faults</button>
      </div>
      ${message === undefined ? null : html`<p class="muted" data-control-result>${message}</p>`}
    </div>
    <div class="card">
      <h3>Bootstrap, replay and redrive progress</h3>
      ${
        state.progress.length === 0
          ? html`<p class="muted">Nothing running. <code>eddy bootstrap</code>, <code>eddy replay</code> and <code>eddy redrive</code> with <code>--endpoint</code> at this emulator show their progress here.</p>`
          : html`<ul class="jobs">${state.progress.map((job) => html`<${JobItem} job=${job} />`)}</ul>`
      }
    </div>
  </section>`;
};
