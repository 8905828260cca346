import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, type State } from './api.js';
import { EmulatorView } from './EmulatorView.js';
import { FailuresView } from './FailuresView.js';
import { MappingsView } from './MappingsView.js';
import { StreamsView } from './StreamsView.js';
import { TablesView } from './TablesView.js';

/** How often the page asks for the state: live enough to watch a batch go through, cheap for the emulator. */
const REFRESH_MS = 1000;

const TABS = ['tables', 'streams', 'mappings', 'failures', 'emulator'] as const;
type Tab = (typeof TABS)[number];

const tabOf = (hash: string): Tab =>
  (TABS as readonly string[]).includes(hash.slice(1)) ? (hash.slice(1) as Tab) : 'tables';

/**
 * Polls /_eddy/api/state while the page is visible (a hidden tab asks for nothing); with the mappings' lag
 * samples only while they are shown, asked for at once when they come into view (not at the next tick), so the
 * charts show the history the mappings took before the page opened.
 */
const useLiveState = (withHistory: boolean): { state: State | undefined; error: string | undefined } => {
  const history = useRef(withHistory);
  history.current = withHistory;
  const refresh = useRef<() => void>(() => undefined);
  const [state, setState] = useState<State | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    let running = false;
    let again = false;
    const tick = async () => {
      // One request at a time: a wake-up during a request asks again right after it, not in parallel.
      if (running) {
        again = true;
        return;
      }
      running = true;
      window.clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        try {
          setState(await getJson<State>(`/_eddy/api/state${history.current ? '?history=1' : ''}`));
          setError(undefined);
        } catch (e) {
          setError((e as Error).message);
        }
      }
      running = false;
      if (stopped) return;
      if (again) {
        again = false;
        void tick();
      } else timer = window.setTimeout(tick, REFRESH_MS);
    };
    refresh.current = () => void tick();
    void tick();
    const wake = () => {
      if (document.visibilityState === 'visible') void tick();
    };
    document.addEventListener('visibilitychange', wake);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
    };
  }, []);
  const mounted = useRef(false);
  useEffect(() => {
    // At mount the first tick already asks with the history.
    if (withHistory && mounted.current) refresh.current();
    mounted.current = true;
  }, [withHistory]);
  return { state, error };
};

export const App = () => {
  const [tab, setTab] = useState<Tab>(tabOf(location.hash));
  useEffect(() => {
    const onHash = () => setTab(tabOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const { state, error } = useLiveState(tab === 'mappings');
  const failures = state?.failures.entries.filter((e) => e.redriven?.ok !== true).length ?? 0;
  return html`<header>
      <h1>eddy</h1>
      <nav>
        ${TABS.map(
          (name) => html`<a href=${`#${name}`} data-tab=${name} class=${tab === name ? 'active' : ''}
            >${name}${name === 'failures' && failures > 0 ? html` <span class="warn badge" data-failure-count>${failures}</span>` : null}</a
          >`,
        )}
      </nav>
      <span class=${error === undefined ? 'muted live' : 'error live'} data-live=${error === undefined ? 'ok' : 'error'}
        >${error === undefined ? (state === undefined ? 'connecting…' : 'live') : `disconnected: ${error}`}</span
      >
    </header>
    <main data-view=${tab}>
      ${
        state === undefined
          ? html`<p>Loading…</p>`
          : tab === 'tables'
            ? html`<${TablesView} regions=${state.regions} />`
            : tab === 'streams'
              ? html`<${StreamsView} regions=${state.regions} now=${state.control.now} />`
              : tab === 'mappings'
                ? html`<${MappingsView} mappings=${state.mappings} dev=${state.dev} />`
                : tab === 'failures'
                  ? html`<${FailuresView} state=${state} />`
                  : html`<${EmulatorView} state=${state} />`
      }
    </main>`;
};
