import { api, type Schemas } from "../api/client";
import { chartBox, draw, estimateChart, type Estimate } from "../charts";
import { clear, errorAlert, h, table } from "../dom";
import { fmtDate, fmtNum, t, type Key } from "../i18n";
import { followJob, jobControls } from "../jobs";

type Result = Schemas["WhatIfResultPublic"];
type Options = Schemas["WhatIfOptionsPublic"];

const KPI_NAMES: Record<string, Key> = {
  caspian_wait_hours: "kpiCaspianWait",
  delivered_teu: "kpiDeliveredTeu",
  waiting_at_caspian_ports_units: "kpiWaitingUnits",
  waiting_at_caspian_ports_mean_units: "kpiWaitingMeanUnits",
  initial_shipments_delivered: "kpiInitialDelivered",
};

export function kpiName(kpi: string): string {
  return kpi in KPI_NAMES ? t(KPI_NAMES[kpi]) : kpi;
}

/** ``12.3 (10.1 to 14.5)``; a dash for no value. */
export function fmtEstimate(e: Estimate, digits = 1, signed = false): string {
  if (e.mean === null) return "—";
  const f = (x: number): string => (signed && x > 0 ? "+" : "") + fmtNum(x, digits);
  const [low, high] = e.ci95;
  return low === null || high === null || low === undefined || high === undefined
    ? f(e.mean) : `${f(e.mean)} (${fmtNum(low, digits)} ${t("to")} ${fmtNum(high, digits)})`;
}

/** What if, from now: the change, and what it does against doing nothing. */
export async function whatifPage(main: HTMLElement): Promise<void> {
  main.append(h("h1", {}, t("whatifTitle")), h("p", { class: "muted" }, t("whatifHint")));
  const { data: options, error } = await api.GET("/scenarios/whatif/options");
  if (!options) return void main.append(errorAlert(error));
  const result = h("section", { id: "whatif-result", "aria-live": "polite" });
  main.append(whatifForm(options, result), result);
}

function whatifForm(options: Options, result: HTMLElement): HTMLElement {
  const days = h("input", { id: "wi-days", type: "number", min: "1", max: "30", step: "1", value: "7" });
  const reps = h("input", { id: "wi-reps", type: "number", min: "2", max: "100", value: "10" });
  const seed = h("input", { id: "wi-seed", type: "number", min: "0", value: "0" });
  const lines = [...new Set(options.vessels.map((v) => v.line))];
  const vessels = h("fieldset", { id: "wi-vessels" }, h("legend", {}, t("vesselsOut")),
    lines.map((line) => h("div", { class: "line-group" }, h("span", { class: "muted" }, line), " ",
      options.vessels.filter((v) => v.line === line).map((v) =>
        h("label", { class: "check" }, h("input", { type: "checkbox", name: "vessel-out", value: v.name }), " ", v.name)))));
  const closures = h("div", { id: "wi-closures" });
  let count = 0;
  const addClosure = (place = "caspian", hours = 48): void => {
    const k = count++;
    const row = h("div", { class: "grid-form closure" },
      h("div", {}, h("label", { for: `cl-place-${k}` }, t("closedPlace")),
        h("select", { id: `cl-place-${k}`, class: "cl-place" },
          h("option", { value: "caspian", selected: place === "caspian" }, t("wholeCaspian")),
          options.places.map((p) => h("option", { value: p.id, selected: place === p.id }, `${p.name} (${p.id})`)))),
      h("div", {}, h("label", { for: `cl-hours-${k}` }, t("closedHours")),
        h("input", { id: `cl-hours-${k}`, class: "cl-hours", type: "number", min: "1", max: "720", value: String(hours) })),
      h("div", {}, h("label", { for: `cl-start-${k}` }, t("closedFromH")),
        h("input", { id: `cl-start-${k}`, class: "cl-start", type: "number", min: "0", value: "0" })),
      h("div", {}, h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, t("remove"))));
    closures.append(row);
  };
  addClosure();
  const jobs = jobControls("whatif", t("runWhatif"));
  return h("form", { class: "card", id: "whatif-form", onsubmit: async (e: Event) => {
    e.preventDefault();
    const changes = {
      vessels_out: [...vessels.querySelectorAll<HTMLInputElement>("input:checked")].map((x) => x.value),
      closures: [...closures.querySelectorAll(".closure")].map((row) => ({
        place: row.querySelector<HTMLSelectElement>(".cl-place")!.value,
        hours: Number(row.querySelector<HTMLInputElement>(".cl-hours")!.value),
        start_h: Number(row.querySelector<HTMLInputElement>(".cl-start")!.value),
      })),
    };
    clear(result);
    const job = await followJob(jobs, () => api.POST("/scenarios/whatif", {
      body: { days: Number(days.value), replications: Number(reps.value), seed: Number(seed.value), changes },
    }));
    if (!job) return;
    result.dataset.job = String(job.id);
    const { data, error } = await api.GET("/scenarios/whatif/{job_id}", { params: { path: { job_id: job.id } } });
    if (!data) clear(result, errorAlert(error));
    else showResult(result, data);
  } },
  h("h2", {}, t("theChange")),
  vessels,
  h("fieldset", {}, h("legend", {}, t("closures")), closures,
    h("button", { type: "button", class: "secondary", id: "add-closure", onclick: () => addClosure("KZAAU", 24) }, t("addClosure"))),
  h("div", { class: "grid-form" },
    h("div", {}, h("label", { for: "wi-days" }, t("days_")), days),
    h("div", {}, h("label", { for: "wi-reps" }, t("replications")), reps),
    h("div", {}, h("label", { for: "wi-seed" }, t("seed")), seed)),
  h("div", { class: "actions" }, jobs.button), jobs.progress, jobs.status);
}

function showResult(el: HTMLElement, r: Result): void {
  const charts = r.kpis.map((k) => ({ k, ...chartBox(`${t("deltaOf")} ${kpiName(k.kpi)}`) }));
  const moved = r.shipments.filter((s) => s.shift_h !== null);
  const shiftChart = chartBox(t("shipmentsMoved"));
  const movedTable = table(t("shipmentsMoved"), [t("reference"), t("p50NothingH"), t("p50ChangeH"), t("shiftH")],
    r.shipments.map((s) => [s.reference || s.shipment, s.base_p50_h === null ? "—" : fmtNum(s.base_p50_h, 1),
      s.changed_p50_h === null ? "—" : fmtNum(s.changed_p50_h, 1), s.shift_h === null ? t("pastHorizon") : fmtNum(s.shift_h, 1)]), "moved");
  clear(el,
    h("h2", {}, t("whatifResult")),
    h("p", { id: "whatif-summary" }, `${t("asOf")} ${fmtDate(r.as_of)} · ${fmtNum(r.days)} ${t("daysAhead")} · ${r.replications} ${t("replicationsCrn")} · `
      + `${r.shipments_in_state} ${t("shipmentsInState")} · ${r.vessels_placed} ${t("vesselsPlaced")}`),
    table(t("kpiDeltas"), [t("kpi"), t("doingNothing"), t("withChange"), t("delta95")],
      r.kpis.map((k) => [h("span", { title: k.measures }, kpiName(k.kpi)), fmtEstimate(k.base), fmtEstimate(k.changed), h("strong", {}, fmtEstimate(k.delta, 1, true))]), "kpi-deltas"),
    h("div", { class: "four" }, charts.map((c) => c.box)),
    h("h2", {}, t("shipmentsMoved")),
    moved.length ? h("div", { class: "two" }, movedTable, shiftChart.box) : movedTable);
  for (const c of charts) {
    estimateChart(c.canvas, `${t("deltaOf")} ${kpiName(c.k.kpi)}`, [kpiName(c.k.kpi)], [c.k.delta], t("deltaMean"), t("interval95"));
  }
  if (moved.length) draw(shiftChart.canvas, {
    type: "bar",
    data: { labels: moved.map((s) => s.reference || s.shipment), datasets: [{ label: t("shiftH"), data: moved.map((s) => s.shift_h), backgroundColor: "#b71c1c" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } } },
  });
}
