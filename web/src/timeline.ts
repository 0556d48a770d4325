// The Caspian plan as a timeline: one row per vessel, a bar per sailing from departure to
// arrival, labelled with its route and the units the plan puts on it.
import type { Schemas } from "./api/client";
import { h } from "./dom";
import { fmtDate, fmtNum, t } from "./i18n";

type Sailing = Schemas["PlanSailingPublic"];

const HOUR = 3_600_000;

export function sailingTimeline(sailings: Sailing[], start: string, horizonH: number): HTMLElement {
  const from = Date.parse(start);
  const last = Math.max(from + horizonH * HOUR, ...sailings.map((s) => Date.parse(s.arrival)));
  const span = Math.max(HOUR, last - from);
  const pct = (ms: number): string => `${(100 * (ms - from)) / span}%`;
  const byVessel = new Map<string, Sailing[]>();
  for (const s of sailings) byVessel.set(s.vessel, [...(byVessel.get(s.vessel) ?? []), s]);
  const vessels = [...byVessel.keys()].sort((a, b) =>
    (byVessel.get(a)![0].vessel_name || a).localeCompare(byVessel.get(b)![0].vessel_name || b));
  // One tick a day at midnight UTC.
  const ticks: HTMLElement[] = [];
  for (let d = Math.ceil(from / (24 * HOUR)) * 24 * HOUR; d <= last; d += 24 * HOUR) {
    const tick = h("span", { class: "tl-tick" }, new Date(d).toISOString().slice(5, 10));
    tick.style.left = pct(d);
    ticks.push(tick);
  }
  const rows = vessels.map((v) => {
    const list = byVessel.get(v)!;
    const track = h("div", { class: "tl-track" }, list.map((s) => {
      const text = `${s.origin}→${s.destination} · ${fmtNum(s.units)} ${t("units")}`;
      const bar = h("div", {
        class: s.units > 0 ? "tl-bar" : "tl-bar empty",
        title: `${s.id}: ${fmtDate(s.departure)} – ${fmtDate(s.arrival)}, ${fmtNum(s.shipments)} ${t("shipments").toLowerCase()}`,
        "data-sailing": s.id,
      }, text);
      bar.style.left = pct(Date.parse(s.departure));
      bar.style.width = `${Math.max(0.5, (100 * (Date.parse(s.arrival) - Date.parse(s.departure))) / span)}%`;
      return bar;
    }));
    return h("div", { class: "tl-row", "data-vessel": v },
      h("span", { class: "tl-vessel" }, list[0].vessel_name || v), track);
  });
  return h("figure", { class: "tl", id: "plan-timeline" },
    h("figcaption", {}, `${t("planTimeline")}: ${vessels.length} ${t("vesselRows")}, ${sailings.length} ${t("sailings").toLowerCase()}`),
    h("div", { class: "tl-rows", "aria-hidden": "true" },
      h("div", { class: "tl-row tl-axis" }, h("span", { class: "tl-vessel" }, "UTC"), h("div", { class: "tl-track" }, ticks)),
      rows));
}
