import L from "leaflet";
import { api, type Schemas } from "../api/client";
import { corridorMap, MODE_COLOURS, networkLayer, nodeCoords } from "../basemap";
import { h } from "../dom";
import { fmtDate, fmtNum, t, type Key } from "../i18n";
import { currentUser, network } from "../session";

const FAMILIES: [string, Key][] = [
  ["Middle", "familyMiddle"], ["Northern", "familyNorthern"], ["Sea", "familySea"], ["Shared", "familyShared"],
];

export async function mapPage(main: HTMLElement): Promise<void> {
  const families = new Set(FAMILIES.map(([f]) => f));
  const scenarios = new Set<string>();
  const mapEl = h("div", { id: "corridor-map" });
  const status = h("p", { class: "muted", id: "network-count", "aria-live": "polite" });
  const live = h("p", { class: "muted", id: "live-count", "aria-live": "polite" });
  const familyBoxes = h("fieldset", {}, h("legend", {}, t("layers")),
    FAMILIES.map(([fam, key]) => h("label", { class: "check" },
      h("input", { type: "checkbox", checked: true, value: fam, onchange: (e: Event) => {
        const box = e.target as HTMLInputElement;
        if (box.checked) families.add(fam); else families.delete(fam);
        void redraw();
      } }), " ", t(key))));
  const scenarioBox = h("fieldset", { id: "scenarios" }, h("legend", {}, t("scenarios")));
  const legend = h("div", { class: "legend", "aria-label": t("legend") },
    h("h2", {}, t("legend")),
    h("ul", {}, Object.entries(MODE_COLOURS).map(([mode, colour]) => {
      const swatch = h("span", { class: "swatch" });
      swatch.style.background = colour;
      return h("li", {}, swatch, " ", t(mode as Key));
    }),
    h("li", {}, h("span", { class: "swatch dot queue" }), " ", t("portQueue")),
    h("li", {}, h("span", { class: "swatch dot vessel" }), " ", t("vessels")),
    h("li", {}, h("span", { class: "swatch dot shipment" }), " ", t("shipmentsUnderWay")),
    h("li", {}, h("span", { class: "swatch dot shipment late" }), " ", t("lateShipments"))));
  main.append(
    h("h1", {}, t("mapTitle")),
    h("div", { class: "with-side" }, mapEl, h("aside", { class: "side" }, familyBoxes, scenarioBox, legend, status, live)),
  );
  const map = corridorMap(mapEl, t("mapTitle"));
  let layer: L.LayerGroup | null = null;
  // Ports, vessels and shipments on one canvas: thousands of markers pan as one image.
  const renderer = L.canvas({ padding: 0.5 });
  const overlay = L.layerGroup().addTo(map);

  async function redraw(): Promise<void> {
    const doc = await network([...scenarios]);
    layer?.remove();
    layer = networkLayer(doc, families).addTo(map);
    const nodes = doc.features.filter((f) => f.properties?.feature === "node").length;
    const links = doc.features.filter((f) => f.properties?.feature === "link").length;
    status.textContent = `${nodes} ${t("nodes")}, ${links} ${t("links")}`;
    await drawLive(doc);
  }

  async function drawLive(doc: GeoJSON.FeatureCollection): Promise<void> {
    overlay.clearLayers();
    const role = currentUser()?.role;
    const counts: string[] = [];
    if (role !== "coordinator") {
      // The caller's shipments that have not arrived, where the service puts them now.
      const { data } = await api.GET("/shipments/positions", { params: { query: { limit: 20000 } } });
      for (const p of data?.data ?? []) drawShipment(p);
      counts.push(`${data?.data.length ?? 0} ${t("shipmentsOnMap")}`);
    }
    if (role === "coordinator" || role === "admin" || role === "operator") {
      const coords = nodeCoords(doc);
      const { data } = await api.GET("/corridor/state");
      for (const p of data?.ports ?? []) drawPort(p, coords);
      const placed = (data?.vessels ?? []).filter((v, i) => drawVessel(v, i, coords));
      counts.push(`${placed.length} ${t("vesselsOnMap")}`);
    }
    live.textContent = counts.join(", ");
  }

  function drawShipment(p: Schemas["ShipmentPositionPublic"]): void {
    L.circleMarker([p.lat, p.lon], { renderer, radius: 3, weight: 1, color: p.delay_h > 24 ? "#b71c1c" : "#1b5e20", fillOpacity: 0.7 })
      .bindTooltip(`${p.reference || "#" + p.id} · ${p.status} · ${t("delayH")} ${fmtNum(p.delay_h, 1)}`)
      .addTo(overlay);
  }

  function drawPort(p: Schemas["PortStatePublic"], coords: Map<string, [number, number]>): void {
    const at = coords.get(p.place);
    if (!at) return;
    const units = p.waiting.railcar + p.waiting.teu + p.waiting.truck;
    L.circleMarker(at, { renderer, radius: 6 + 3 * Math.sqrt(units), color: "#b71c1c", weight: 2, fillOpacity: 0.35 })
      .bindTooltip(`${p.name}: ${units} ${t("waiting")} (${p.waiting.teu} TEU, ${p.waiting.railcar} railcars, ${p.waiting.truck} trucks)`)
      .addTo(overlay);
  }

  function drawVessel(v: Schemas["VesselStatePublic"], i: number, coords: Map<string, [number, number]>): boolean {
    const at = coords.get(v.place);
    if (!at) return false;
    // Vessels at the same place fan out a little so each stays visible.
    const spread: [number, number] = [at[0] - 0.25 - 0.12 * (i % 5), at[1] + 0.3 * Math.floor(i / 5) - 0.6];
    L.circleMarker(spread, { renderer, radius: 4, color: "#0d47a1", weight: 2, fillColor: "#bbdefb", fillOpacity: 1 })
      .bindTooltip(`${v.name} · ${v.status} ${v.place} · ${t("lastSeen")} ${fmtDate(v.since)}`)
      .addTo(overlay);
    return true;
  }

  const { data } = await api.GET("/network/scenarios");
  for (const s of data?.data ?? []) {
    scenarioBox.append(h("label", { class: "check" },
      h("input", { type: "checkbox", value: s.id, onchange: (e: Event) => {
        if ((e.target as HTMLInputElement).checked) scenarios.add(s.id); else scenarios.delete(s.id);
        void redraw();
      } }), " ", `${s.name} (${s.expected})`));
  }
  await redraw();
}
