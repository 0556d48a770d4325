import { api, type Schemas } from "../api/client";
import { chartBox, draw } from "../charts";
import { clear, h, table } from "../dom";
import { fmtDate, fmtNum, t } from "../i18n";
import { followJob, jobControls } from "../jobs";
import { sailingTimeline } from "../timeline";

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
        state.vessels.map((v) => [v.name, t(v.status === "at_berth" ? "atBerth" : v.status === "anchored" ? "anchored" : v.status === "at_sea" ? "atSea" : "unknown"), v.place, fmtDate(v.since)]), "vessels")));
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
  const days = h("input", { id: "days", type: "number", min: "0.5", max: "14", step: "0.5", value: "3" });
  const mode = h("select", { id: "plan-mode" },
    h("option", { value: "assignment" }, t("modeAssignment")), h("option", { value: "rotation" }, t("modeRotation")));
  const limit = h("input", { id: "time-limit", type: "number", min: "1", max: "120", value: "10" });
  const jobs = jobControls("plan", t("runPlan"));
  const shown = h("div", { id: "plan-result", "aria-live": "polite" });
  const section = h("section", { class: "card", id: "plan" },
    h("h2", {}, t("crossingPlan")),
    shown,
    h("form", { onsubmit: async (e: Event) => {
      e.preventDefault();
      const job = await followJob(jobs, () => api.POST("/crossing/plans", {
        body: { horizon_days: Number(days.value), mode: mode.value as "assignment" | "rotation", time_limit_s: Number(limit.value) },
      }));
      if (job) await showPlan(shown);
    } },
    h("div", { class: "grid-form" },
      h("div", {}, h("label", { for: "days" }, t("days_")), days),
      h("div", {}, h("label", { for: "plan-mode" }, t("planMode")), mode),
      h("div", {}, h("label", { for: "time-limit" }, t("timeLimitS")), limit)),
    h("div", { class: "actions" }, jobs.button), jobs.progress, jobs.status));
  void showPlan(shown);
  return section;
}

/** The latest published plan: its figures beside FIFO's, its timeline and its sailings. */
async function showPlan(el: HTMLElement): Promise<void> {
  const { data: plan, response } = await api.GET("/crossing/plans/latest");
  if (!plan) {
    clear(el, h("p", { id: "plan-none" }, response.status === 404 ? t("noPlanYet") : t("liveUnavailable")));
    return;
  }
  const rows: [string, number, number, number][] = [
    [t("meanWaitHours"), plan.mean_wait_hours, plan.fifo.mean_wait_hours, 1],
    [t("p95WaitHours"), plan.p95_wait_hours, plan.fifo.p95_wait_hours, 1],
    [t("assigned"), plan.assigned_units, plan.fifo.assigned_units, 0],
    [t("leftBehind"), plan.left_behind_units, plan.fifo.left_behind_units, 0],
  ];
  const { box, canvas } = chartBox(t("planVsFifo"));
  clear(el,
    h("p", { id: "plan-summary" }, `${t("planNo")} ${plan.id} · ${fmtDate(plan.created_at)} · ${t("solverStatus")}: ${plan.status} · ${t("waitReduction")}: `,
      h("strong", {}, `${fmtNum(100 * plan.mean_wait_reduction, 1)} %`), ` · ${fmtNum(plan.bookings)} ${t("bookings")}`),
    sailingTimeline(plan.sailings, plan.start, plan.horizon_h),
    h("div", { class: "two" },
      table(t("planVsFifo"), [t("figure"), t("optimized"), t("fifo")], rows.map(([k, a, b, dg]) => [k, fmtNum(a, dg), fmtNum(b, dg)]), "plan-vs-fifo"),
      box),
    h("details", {}, h("summary", {}, `${t("sailings")} (${plan.sailings.length})`),
      table(t("sailings"), [t("vessel"), t("route"), t("departure"), t("arrival"), t("units"), t("shipments")],
        plan.sailings.map((s) => [s.vessel_name || s.vessel, `${s.origin} → ${s.destination}`, fmtDate(s.departure), fmtDate(s.arrival), fmtNum(s.units), fmtNum(s.shipments)]), "plan-sailings")));
  draw(canvas, {
    type: "bar",
    data: { labels: [t("meanWaitHours"), t("p95WaitHours")], datasets: [
      { label: t("optimized"), data: [plan.mean_wait_hours, plan.p95_wait_hours], backgroundColor: "#2e7d32" },
      { label: t("fifo"), data: [plan.fifo.mean_wait_hours, plan.fifo.p95_wait_hours], backgroundColor: "#9e9e9e" }] },
  });
}
