import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Sample } from './api.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

/** The samples as uPlot's columns: times in seconds, then one series per shard (null where it was not consumed). */
const columns = (
  history: Sample[],
  shards: string[],
  metric: 'iteratorAge' | 'recordsBehind',
): uPlot.AlignedData => [
  history.map((s) => s.at / 1000),
  ...shards.map((shardId) => history.map((s) => s.byShard[shardId]?.[metric] ?? null)),
];

/**
 * A per-shard time series of a mapping (iterator age or records behind), drawn with uPlot: the chart is made
 * once per set of shards and given new data on each refresh. Sparse samples are drawn as points as well (uPlot's
 * default), so a lone sample shows as a dot.
 */
export const LagChart = ({
  history,
  metric,
  title,
}: {
  history: Sample[];
  metric: 'iteratorAge' | 'recordsBehind';
  title: string;
}) => {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ plot: uPlot; key: string } | undefined>(undefined);
  const shards = [...new Set(history.flatMap((s) => Object.keys(s.byShard)))].sort();
  const key = shards.join(',');
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const data = columns(history, shards, metric);
    if (chart.current?.key !== key) {
      chart.current?.plot.destroy();
      const plot = new uPlot(
        {
          title,
          width: Math.max(320, element.clientWidth || 600),
          height: 180,
          scales: {
            x: {
              time: true,
              // One sample (the page asked once, or the mapping invoked once): uPlot widens a lone time by
              // 86,400,000 units, years in seconds; a minute around it shows the dot with readable times.
              range: (plot, min, max): uPlot.Range.MinMax => {
                const times = plot.data[0];
                const only = times?.length === 1 ? times[0] : undefined;
                return only === undefined ? [min, max] : [only - 30, only + 30];
              },
            },
          },
          legend: { show: shards.length <= 8 },
          series: [
            {},
            ...shards.map((shardId, i) => ({
              label: shardId.length > 24 ? `…${shardId.slice(-20)}` : shardId,
              stroke: COLORS[i % COLORS.length] as string,
              width: 1.5,
              spanGaps: false,
            })),
          ],
          axes: [{}, { size: 60 }],
        },
        data,
        element,
      );
      chart.current = { plot, key };
    } else {
      chart.current.plot.setData(data);
    }
  });
  useEffect(() => () => chart.current?.plot.destroy(), []);
  // data-samples: how many samples the chart draws (the e2e test waits for them before its screenshot).
  return html`<div class="chart" data-chart=${metric} data-samples=${history.length} ref=${box}></div>`;
};
