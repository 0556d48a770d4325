import { api, type Schemas } from "../api/client";
import { chartBox, estimateChart } from "../charts";
import { clear, errorAlert, h, table } from "../dom";
import { t } from "../i18n";
import { followJob, jobControls } from "../jobs";
import { fmtEstimate } from "./whatif";

type Comparison = Schemas["ComparisonPublic"];

/** The simulator's experiments against the baseline: KPIs with 95% intervals, and plots. */
export async function experimentsPage(main: HTMLElement): Promise<void> {
  main.append(h("h1", {}, t("compareTitle")), h("p", { class: "muted" }, t("compareHint")));
  const { data: list, error } = await api.GET("/experiments");
  if (!list) return void main.append(errorAlert(error));
  const others = list.data.filter((s) => s.id !== list.baseline);
  const boxes = h("fieldset", { id: "cmp-experiments" }, h("legend", {}, `${t("experimentsAgainst")} ${list.baseline}`),
    others.map((s, i) => h("label", { class: "check block" },
      h("input", { type: "checkbox", value: s.id, checked: i === 0 }), " ", h("strong", {}, s.name), ` — ${s.description}`)));
  const reps = h("input", { id: "cmp-reps", type: "number", min: "2", max: "30", value: "4" });
  const seed = h("input", { id: "cmp-seed", type: "number", min: "0", value: "0" });
  const jobs = jobControls("compare", t("runCompare"));
  const result = h("section", { id: "compare-result", "aria-live": "polite" });
  main.append(h("form", { class: "card", onsubmit: async (e: Event) => {
    e.preventDefault();
    const experiments = [...boxes.querySelectorAll<HTMLInputElement>("input:checked")].map((x) => x.value);
    clear(result);
    const job = await followJob(jobs, () => api.POST("/experiments/compare", {
      body: { experiments, replications: Number(reps.value), seed: Number(seed.value) },
    }));
    if (!job) return;
    result.dataset.job = String(job.id);
    const { data, error: failed } = await api.GET("/experiments/compare/{job_id}", { params: { path: { job_id: job.id } } });
    if (!data) clear(result, errorAlert(failed));
    else showComparison(result, data);
  } },
  boxes,
  h("div", { class: "grid-form" },
    h("div", {}, h("label", { for: "cmp-reps" }, t("replications")), reps),
    h("div", {}, h("label", { for: "cmp-seed" }, t("seed")), seed)),
  h("div", { class: "actions" }, jobs.button), jobs.progress, jobs.status), result);
}

function showComparison(el: HTMLElement, c: Comparison): void {
  const names = c.experiments.map((s) => s.experiment);
  const rows: [string, (s: Comparison["experiments"][number]) => string][] = [
    [t("transitDaysMean"), (s) => fmtEstimate(s.kpis.transit_days.mean)],
    [t("transitDaysP95"), (s) => fmtEstimate(s.kpis.transit_days.p95)],
    [t("kpiCaspianWait"), (s) => fmtEstimate(s.kpis.caspian_wait_hours)],
    [t("throughputTeu"), (s) => fmtEstimate(s.kpis.throughput_teu, 0)],
    [t("topBottleneck"), (s) => s.bottlenecks[0]?.name ?? "—"],
  ];
  const diffs: [string, (d: Comparison["differences"][number]) => string][] = [
    [t("changeDaysMean"), (d) => fmtEstimate(d.transit_days_mean, 1, true)],
    [t("changeDaysP95"), (d) => fmtEstimate(d.transit_days_p95, 1, true)],
    [t("changeCaspianWait"), (d) => fmtEstimate(d.caspian_wait_hours, 1, true)],
    [t("changeThroughput"), (d) => fmtEstimate(d.throughput_teu, 0, true)],
  ];
  const days = chartBox(t("transitDaysMean"));
  const wait = chartBox(t("kpiCaspianWait"));
  const teu = chartBox(t("throughputTeu"));
  const change = chartBox(`${t("changeDaysMean")} (${t("interval95")})`);
  clear(el,
    h("h2", {}, t("compareResult")),
    h("p", { id: "compare-summary" }, `${c.replications} ${t("replicationsCrn")} · ${t("seed")} ${c.seed}`),
    table(t("compareResult"), [t("kpi"), ...names], rows.map(([label, get]) => [label, ...c.experiments.map(get)]), "compare-kpis"),
    table(`${t("againstBaseline")} ${names[0]}`, [t("kpi"), ...c.differences.map((d) => d.experiment)],
      diffs.map(([label, get]) => [label, ...c.differences.map(get)]), "compare-diffs"),
    h("ul", { class: "warnings" }, c.experiments.flatMap((s) => s.warnings.map((w) => h("li", {}, `${s.experiment}: ${w}`)))),
    h("div", { class: "two" }, days.box, wait.box, teu.box, change.box));
  estimateChart(days.canvas, t("transitDaysMean"), names, c.experiments.map((s) => s.kpis.transit_days.mean), t("mean"), t("interval95"));
  estimateChart(wait.canvas, t("kpiCaspianWait"), names, c.experiments.map((s) => s.kpis.caspian_wait_hours), t("mean"), t("interval95"), "#00706f");
  estimateChart(teu.canvas, t("throughputTeu"), names, c.experiments.map((s) => s.kpis.throughput_teu), t("mean"), t("interval95"), "#7a3e00");
  estimateChart(change.canvas, `${t("changeDaysMean")} (${t("againstBaseline")} ${names[0]})`, c.differences.map((d) => d.experiment), c.differences.map((d) => d.transit_days_mean), t("deltaMean"), t("interval95"), "#b71c1c");
}
