// The dashboard's browser entry: its styles (uPlot's, then ours) and the app. Bundled by esbuild into one
// script the emulator serves at /_eddy/dashboard.js (local-runtime/dashboard/dashboardBundle.ts).
import { html, render } from 'htm/preact';
import uPlotCss from 'uplot/dist/uPlot.min.css';
import { App } from './App.js';
import styles from './styles.css';

const style = document.createElement('style');
style.textContent = `${uPlotCss}\n${styles}`;
document.head.append(style);
const root = document.getElementById('app') as HTMLElement;
root.textContent = '';
render(html`<${App} />`, root);
