import L from "leaflet";
import { api, errorText, type Schemas } from "../api/client";
import { corridorMap, MODE_COLOURS, nodeCoords } from "../basemap";
import { chartBox, draw } from "../charts";
import { clear, h, table } from "../dom";
import { fmtDate, fmtNum, t, type Key } from "../i18n";
import { currentUser, network } from "../session";

type EtaRecord = Schemas["EtaRecordPublic"];

// The P10–P90 band's fill: the ETA line's blue at 20 % opacity.
const BAND = "#0b539433";

export async function shipmentPage(main: HTMLElement, arg: string): Promise<void> {
  const id = Number(arg);
  const { data: s, error } = await api.GET("/shipments/{shipment_id}", { params: { path: { shipment_id: id } } });
  if (!s) {
    main.append(h("h1", {}, t("shipment")), h("p", { class: "error", role: "alert" }, `${t("notFound")} (${errorText(error)})`));
    return;
  }
  const [history, alerts] = await Promise.all([
    api.GET("/shipments/{shipment_id}/eta/history", { params: { path: { shipment_id: id } } }),
    api.GET("/shipments/{shipment_id}/alerts", { params: { path: { shipment_id: id } } }),
  ]);
  const mapEl = h("div", { id: "shipment-map", class: "small" });
  const { box, canvas } = chartBox(t("etaHistory"));
  const historyBox = h("div", {}, h("h2", {}, t("etaHistory")), box);
  const subs = h("section", { id: "webhooks" });
  main.append(
    h("h1", {}, `${t("shipment")} ${s.reference || "#" + s.id}: ${s.origin} → ${s.destination}`),
    h("p", { id: "eta-line" }, `${t("status")}: `, h("strong", {}, s.status), ` · ${t("eta")}: `,
      h("strong", { id: "eta" }, fmtDate(s.eta)), ` · ${t("plannedArrival")}: ${fmtDate(s.planned_arrival)} · ${t("delayH")}: `,
      h("strong", { id: "delay" }, fmtNum(s.delay_h, 1))),
    h("div", { class: "two" }, mapEl, historyBox),
    h("h2", {}, t("alerts")),
    alerts.data?.data.length
      ? h("ul", { id: "alerts" }, alerts.data.data.map((a) => h("li", {}, h("span", { class: "badge bad" }, a.kind), ` ${fmtDate(a.created_at)} — ${a.message}`)))
      : h("p", { id: "alerts" }, t("noAlerts")),
    s.events.length
      ? table(t("events"), [t("time"), t("type"), t("code"), t("classifier"), t("location"), t("vehicle"), t("description")],
        s.events.map((e) => [fmtDate(e.event_time), e.event_type, e.event_code, e.classifier, e.location, e.vehicle, e.description]), "events")
      : h("p", {}, t("noEvents")),
    subs,
  );
  const map = corridorMap(mapEl, t("route"));
  const coords = nodeCoords(await network());
  const group = L.featureGroup().addTo(map);
  for (const leg of s.legs) {
    const a = coords.get(leg.origin);
    const b = coords.get(leg.destination);
    if (a && b) L.polyline([a, b], { color: MODE_COLOURS[leg.mode] ?? "#333", weight: 5 }).bindTooltip(`${leg.origin} → ${leg.destination} · ${t(leg.mode as Key)}`).addTo(group);
  }
  const seen = s.events.filter((e) => e.classifier === "ACT").at(-1);
  const here = seen ? coords.get(seen.location) : undefined;
  if (here) L.circleMarker(here, { radius: 8, color: "#b71c1c", weight: 3 }).bindTooltip(`${seen!.event_code} ${seen!.location}`).addTo(group);
  if (group.getBounds().isValid()) map.fitBounds(group.getBounds(), { padding: [20, 20] });

  const rows: EtaRecord[] = history.data?.data ?? [];
  historyBox.append(h("details", {}, h("summary", {}, `${t("etaHistory")} (${rows.length})`),
    table(t("etaHistory"), [t("time"), "P10", "P50", t("eta"), "P90"],
      rows.map((r) => [fmtDate(r.computed_at), fmtDate(r.p10), fmtDate(r.p50), fmtDate(r.eta), fmtDate(r.p90)]), "eta-history")));
  const point = (r: EtaRecord, v: string) => ({ x: Date.parse(r.computed_at), y: Date.parse(v) });
  const band = rows.filter((r) => r.p10 && r.p90);
  const datasets: object[] = [{ label: t("eta"), data: rows.map((r) => point(r, r.eta)), borderColor: "#0b5394", backgroundColor: "#0b5394", stepped: true }];
  if (band.length) {
    datasets.push(
      { label: "P90", data: band.map((r) => point(r, r.p90!)), borderColor: "transparent", backgroundColor: BAND, fill: "+1", pointRadius: 0, stepped: true },
      { label: "P10", data: band.map((r) => point(r, r.p10!)), borderColor: "transparent", backgroundColor: BAND, pointRadius: 0, stepped: true },
    );
  }
  const day = (v: number | string): string => new Date(Number(v)).toISOString().slice(5, 16).replace("T", " ");
  draw(canvas, {
    type: "line",
    data: { datasets: datasets as never },
    options: {
      parsing: false,
      scales: {
        x: { type: "linear", ticks: { callback: day }, title: { display: true, text: t("time") } },
        y: { type: "linear", ticks: { callback: day }, title: { display: true, text: t("eta") } },
      },
      // The band is named in the title; the legend keeps the ETA line alone.
      plugins: { legend: { display: true, labels: { filter: (item) => item.datasetIndex === 0 } }, title: { display: band.length > 0, text: t("etaBand") } },
    },
  });
  if (currentUser()?.role !== "coordinator") await webhooks(subs, id);
}

async function webhooks(section: HTMLElement, shipmentId: number): Promise<void> {
  const { data } = await api.GET("/subscriptions");
  const mine = (data?.data ?? []).filter((x) => x.shipment_id === shipmentId);
  const url = h("input", { id: "callback", type: "url", placeholder: "https://", required: true });
  const message = h("p", { role: "alert", class: "error" });
  clear(section, h("h2", {}, t("webhooks")),
    mine.length ? table(t("webhooks"), [t("callbackUrl"), t("status"), ""], mine.map((x) => [x.callback_url, x.active ? t("active") : t("cancelled"),
      x.active ? h("button", { type: "button", class: "secondary", onclick: async () => {
        await api.DELETE("/subscriptions/{subscription_id}", { params: { path: { subscription_id: x.id } } });
        await webhooks(section, shipmentId);
      } }, t("cancel")) : ""])) : h("p", {}, t("nothing")),
    h("form", { class: "actions", onsubmit: async (e: Event) => {
      e.preventDefault();
      const { error } = await api.POST("/subscriptions", { body: { shipment_id: shipmentId, callback_url: url.value } });
      if (error) message.textContent = errorText(error);
      else await webhooks(section, shipmentId);
    } }, h("label", { for: "callback" }, t("callbackUrl")), url, h("button", { type: "submit" }, t("subscribe"))),
    message);
}
