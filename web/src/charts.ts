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

/** An estimate over replications: its mean and 95% interval (bounds null for one value). */
export interface Estimate { mean: number | null; ci95: (number | null)[]; n: number }

/** Bars of the means with their 95% intervals beside them as floating bars, one per label. */
export function estimateChart(canvas: HTMLCanvasElement, title: string, labels: string[], estimates: Estimate[],
                              meanLabel: string, intervalLabel: string, colour = "#0b5394"): Chart {
  return draw(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: meanLabel, data: estimates.map((e) => e.mean), backgroundColor: colour },
        { label: intervalLabel, data: estimates.map((e) => (e.ci95[0] === null || e.ci95[1] === null ? null : [e.ci95[0], e.ci95[1]])) as never,
          backgroundColor: "#f9a825" },
      ],
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: true }, title: { display: true, text: title } },
      scales: { y: { ticks: { display: labels.length > 1 } } },
    },
  });
}
