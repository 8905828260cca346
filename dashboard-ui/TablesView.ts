import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, type RegionView, type TableView } from './api.js';
import { bytes, plainItem } from './format.js';

interface Page {
  items: Record<string, unknown>[];
  lastEvaluatedKey?: Record<string, unknown>;
}

/** One table's items: a page at a time (Scan), or one partition key's items (Query). */
const Items = ({ region, table, version }: { region: RegionView; table: TableView; version: number }) => {
  const [key, setKey] = useState('');
  const [query, setQuery] = useState('');
  // The start keys of the pages before this one, so Previous can go back.
  const [starts, setStarts] = useState<(Record<string, unknown> | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page | undefined>();
  const [error, setError] = useState<string | undefined>();
  const start = starts.at(-1);
  useEffect(() => {
    const params = new URLSearchParams({
      region: region.region,
      account: region.accountId,
      table: table.tableName,
    });
    params.set('limit', '25');
    if (start !== undefined) params.set('start', JSON.stringify(start));
    if (query !== '') params.set('key', query);
    getJson<Page>(`/_eddy/api/items?${params}`).then(
      (next) => {
        setPage(next);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
    // `version` refreshes the page as the table changes.
  }, [region.region, region.accountId, table.tableName, start, query, version]);
  const hash = table.keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'key';
  return html`<div class="items" data-items=${table.tableName}>
    <form
      class="row"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        setStarts([undefined]);
        setQuery(key.trim());
      }}
    >
      <label>${hash} = <input value=${key} onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} placeholder="any" /></label>
      <button type="submit">Query</button>
      ${
        query === ''
          ? null
          : html`<button type="button" onClick=${() => {
              setKey('');
              setQuery('');
              setStarts([undefined]);
            }}>All items</button>`
      }
    </form>
    ${error === undefined ? null : html`<p class="error">${error}</p>`}
    ${
      page === undefined
        ? html`<p>Loading…</p>`
        : html`<table class="grid">
            <tbody>
              ${page.items.length === 0 ? html`<tr><td class="muted">no items</td></tr>` : null}
              ${page.items.map((item) => html`<tr data-item><td><code>${JSON.stringify(plainItem(item))}</code></td></tr>`)}
            </tbody>
          </table>
          <div class="row">
            <button disabled=${starts.length <= 1} onClick=${() => setStarts(starts.slice(0, -1))}>Previous</button>
            <span class="muted">page ${starts.length}</span>
            <button
              disabled=${page.lastEvaluatedKey === undefined}
              onClick=${() => setStarts([...starts, page.lastEvaluatedKey])}
            >
              Next
            </button>
          </div>`
    }
  </div>`;
};

/** Every region's tables: item counts, sizes, keys, stream settings; a table's items on click. */
export const TablesView = ({ regions }: { regions: RegionView[] }) => {
  const [open, setOpen] = useState<string | undefined>();
  return html`<section>
    ${regions.map(
      (region) => html`<h2>${region.region} <span class="muted">account ${region.accountId}</span></h2>
        <table class="grid">
          <thead>
            <tr><th>Table</th><th>Items</th><th>Size</th><th>Key</th><th>Stream</th><th>TTL</th></tr>
          </thead>
          <tbody>
            ${region.tables.map((table) => {
              const id = `${region.region}/${region.accountId}/${table.tableName}`;
              return html`<tr data-table=${table.tableName} data-region=${region.region}>
                  <td><button class="link" onClick=${() => setOpen(open === id ? undefined : id)}>${table.tableName}</button></td>
                  <td data-count>${table.itemCount}</td>
                  <td>${bytes(table.sizeBytes)}</td>
                  <td>${table.keySchema.map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ')}</td>
                  <td>
                    ${
                      table.stream === undefined
                        ? html`<span class="muted">none</span>`
                        : html`${table.stream.viewType} <span class=${table.stream.enabled ? 'ok' : 'muted'}>${table.stream.enabled ? 'enabled' : 'disabled'}</span>`
                    }
                  </td>
                  <td>${table.ttlAttribute ?? html`<span class="muted">off</span>`}</td>
                </tr>
                ${
                  open === id
                    ? html`<tr><td colspan="6"><${Items} region=${region} table=${table} version=${table.itemCount + table.sizeBytes} /></td></tr>`
                    : null
                }`;
            })}
          </tbody>
        </table>`,
    )}
    ${regions.length === 0 ? html`<p class="muted">No tables yet.</p>` : null}
  </section>`;
};
