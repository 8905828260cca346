import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { control, type State } from './api.js';
import { time } from './format.js';

const KINDS = ['throttling', 'limitExceeded', 'provisionedThroughputExceeded', 'internalError'];

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
          ? html`<p class="muted">Nothing running.</p>`
          : html`<ul>
            ${state.progress.map(
              (job) => html`<li>
                <b>${job.name}</b> (${job.kind}, ${job.state}): ${job.done}${job.total === undefined ? '' : ` of ${job.total}`} ${job.unit}
                ${job.total === undefined ? null : html`<progress max=${job.total} value=${job.done}></progress>`}
                ${job.detail === undefined ? null : html`<span class="muted">${job.detail}</span>`}
              </li>`,
            )}
          </ul>`
      }
    </div>
  </section>`;
};
