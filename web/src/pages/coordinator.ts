import { api, errorText, type Schemas } from "../api/client";
import { chartBox, draw } from "../charts";
import { clear, h, table } from "../dom";
import { fmtDate, fmtNum, t } from "../i18n";

interface Figures {
  mean_wait_hours: number; p95_wait_hours: number; assigned_units: number; left_behind_units: number; sailings: number;
}
/** The crossing optimizer job's result (the service's CrossingPublic). */
interface Crossing { status: string; seconds: number; mean_wait_reduction: number; plan: Figures; fifo: Figures }

type State = Schemas["CorridorStatePublic"];

function liveSection(state: State | undefined): HTMLElement {
  if (!state) return h("section", {}, h("h2", {}, t("caspianNow")), h("p", {}, t("liveUnavailable")));
  const units = (u: Schemas["UnitsPublic"]): string => `${u.teu} TEU · ${u.railcar} ${t("railcars")} · ${u.truck} ${t("trucks")}`;
  return h("section", { id: "live" },
    h("h2", {}, `${t("caspianNow")} (${fmtDate(state.as_of)})`),
    h("div", { class: "two" },
      table(t("caspianPorts"), [t("location"), t("waitingNow"), t("oldestWaitH"), t("arriving72h")],
        state.ports.map((p) => [`${p.name} (${p.place})`, units(p.waiting), p.oldest_wait_h === null ? "—" : fmtNum(p.oldest_wait_h, 1), units(p.arriving_next_72h)]), "ports"),
      table(t("vessels"), [t("vessel"), t("status"), t("location"), t("since")],
        state.vessels.map((v) => [v.name, t(v.status === "at_berth" ? "atBerth" : v.status === "at_sea" ? "atSea" : "unknown"), v.place, fmtDate(v.since)]), "vessels")));
}

export async function coordinatorPage(main: HTMLElement): Promise<void> {
  const [queues, dwell, live] = await Promise.all([
    api.GET("/aggregates/port-queues"), api.GET("/aggregates/dwell"), api.GET("/corridor/state"),
  ]);
  const q = queues.data?.data ?? [];
  const d = dwell.data?.data ?? [];
  const queueChart = chartBox(t("portQueues"));
  const dwellChart = chartBox(t("dwellByPlace"));
  main.append(
    h("h1", {}, t("coordinatorTitle")),
    liveSection(live.data),
    h("div", { class: "two" },
      h("section", {}, h("h2", {}, t("portQueues")), queueChart.box,
        q.length ? table(t("portQueues"), [t("location"), t("shipments"), t("meanWaitH"), t("oldestArrival")],
          q.map((x) => [x.location, x.waiting, fmtNum(x.mean_wait_h, 1), fmtDate(x.oldest_arrival)]), "queues") : h("p", {}, t("nothing"))),
      h("section", {}, h("h2", {}, t("dwellByPlace")), dwellChart.box,
        d.length ? table(t("dwellByPlace"), [t("location"), t("shipments"), t("meanDwellH"), t("maxDwellH")],
          d.map((x) => [x.location, x.shipments, fmtNum(x.mean_dwell_h, 1), fmtNum(x.max_dwell_h, 1)]), "dwell") : h("p", {}, t("nothing")))),
    crossingSection(),
  );
  draw(queueChart.canvas, {
    type: "bar",
    data: { labels: q.map((x) => x.location), datasets: [{ label: t("shipments"), data: q.map((x) => x.waiting), backgroundColor: "#b71c1c" }] },
    options: { plugins: { legend: { display: false } } },
  });
  draw(dwellChart.canvas, {
    type: "bar",
    data: { labels: d.map((x) => x.location), datasets: [
      { label: t("meanDwellH"), data: d.map((x) => x.mean_dwell_h), backgroundColor: "#0b5394" },
      { label: t("maxDwellH"), data: d.map((x) => x.max_dwell_h), backgroundColor: "#90caf9" }] },
  });
}

function crossingSection(): HTMLElement {
  const days = h("input", { id: "days", type: "number", min: "1", max: "14", value: "3" });
  const seed = h("input", { id: "seed", type: "number", min: "0", value: "0" });
  const progress = h("progress", { id: "plan-progress", max: "1", "aria-label": t("running"), hidden: true });
  const result = h("div", { id: "plan-result", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, t("runPlan"));
  return h("section", { class: "card" },
    h("h2", {}, t("crossingPlan")),
    h("form", { onsubmit: async (e: Event) => {
      e.preventDefault();
      button.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      const fail = (text: string): void => {
        button.disabled = false;
        progress.hidden = true;
        clear(result, h("p", { class: "error", role: "alert" }, `${t("apiError")}: ${text}`));
      };
      const { data: queued, error } = await api.POST("/optimizer/crossing", {
        body: { days: Number(days.value), seed: Number(seed.value), mode: "assignment", time_limit_s: 10 },
      });
      if (!queued) return fail(errorText(error));
      // The optimizer runs as a job; its progress is polled until it ends.
      for (;;) {
        const { data: job, error: jobError } = await api.GET("/jobs/{job_id}", { params: { path: { job_id: queued.job_id } } });
        if (!job) return fail(errorText(jobError));
        progress.value = job.progress;
        clear(result, h("p", {}, `${t("running")} ${Math.round(100 * job.progress)} % ${job.progress_message}`));
        if (job.status === "failed") return fail(job.error ?? job.status);
        if (job.status === "succeeded" && job.result) {
          button.disabled = false;
          progress.hidden = true;
          clear(result, ...crossingResult(job.result as unknown as Crossing));
          return;
        }
        await new Promise((r) => setTimeout(r, 400));
      }
    } },
    h("div", { class: "grid-form" },
      h("div", {}, h("label", { for: "days" }, t("days_")), days),
      h("div", {}, h("label", { for: "seed" }, t("seed")), seed)),
    h("div", { class: "actions" }, button), progress),
    result);
}

function crossingResult(c: Crossing): Node[] {
  const rows: [string, number, number, number][] = [
    [t("meanWaitHours"), c.plan.mean_wait_hours, c.fifo.mean_wait_hours, 1],
    [t("p95WaitHours"), c.plan.p95_wait_hours, c.fifo.p95_wait_hours, 1],
    [t("assigned"), c.plan.assigned_units, c.fifo.assigned_units, 0],
    [t("leftBehind"), c.plan.left_behind_units, c.fifo.left_behind_units, 0],
    [t("sailings"), c.plan.sailings, c.fifo.sailings, 0],
  ];
  const { box, canvas } = chartBox(t("planVsFifo"));
  const nodes = [
    h("p", { id: "plan-summary" }, `${t("solverStatus")}: ${c.status} · ${t("waitReduction")}: `,
      h("strong", {}, `${fmtNum(100 * c.mean_wait_reduction, 1)} %`), ` · ${fmtNum(c.seconds, 1)} s`),
    table(t("planVsFifo"), [t("figure"), t("optimized"), t("fifo")], rows.map(([k, a, b, dg]) => [k, fmtNum(a, dg), fmtNum(b, dg)]), "plan-vs-fifo"),
    box,
  ];
  queueMicrotask(() => draw(canvas, {
    type: "bar",
    data: { labels: [t("meanWaitHours"), t("p95WaitHours")], datasets: [
      { label: t("optimized"), data: [c.plan.mean_wait_hours, c.plan.p95_wait_hours], backgroundColor: "#2e7d32" },
      { label: t("fifo"), data: [c.fifo.mean_wait_hours, c.fifo.p95_wait_hours], backgroundColor: "#9e9e9e" }] },
  }));
  return nodes;
}
