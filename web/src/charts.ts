// Chart.js with only the parts the pages use (tree-shaken), and a chart that replaces itself.
import {
  BubbleController, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement,
  Title, Tooltip, BarController, BarElement, CategoryScale, type ChartConfiguration,
} from "chart.js";

Chart.register(
  BubbleController, LineController, BarController, LinearScale, CategoryScale, PointElement,
  LineElement, BarElement, Filler, Legend, Title, Tooltip,
);

const charts = new WeakMap<HTMLCanvasElement, Chart>();

/** Draw ``config`` on ``canvas``, replacing the chart drawn there before. */
export function draw(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  charts.get(canvas)?.destroy();
  const chart = new Chart(canvas, { ...config, options: { animation: false, maintainAspectRatio: false, ...config.options } });
  charts.set(canvas, chart);
  return chart;
}

/** A canvas in a sized box, with a text alternative for screen readers. */
export function chartBox(label: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  const box = document.createElement("div");
  box.className = "chart";
  box.append(canvas);
  return { box, canvas };
}
