import L from "leaflet";
import { api, type Schemas } from "../api/client";
import { corridorMap, MODE_COLOURS, networkLayer, nodeCoords } from "../basemap";
import { h } from "../dom";
import { fmtDate, t, type Key } from "../i18n";
import { currentUser, network } from "../session";

const FAMILIES: [string, Key][] = [
  ["Middle", "familyMiddle"], ["Northern", "familyNorthern"], ["Sea", "familySea"], ["Shared", "familyShared"],
];

export async function mapPage(main: HTMLElement): Promise<void> {
  const families = new Set(FAMILIES.map(([f]) => f));
  const scenarios = new Set<string>();
  const mapEl = h("div", { id: "corridor-map" });
  const status = h("p", { class: "muted", "aria-live": "polite" });
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
    h("li", {}, h("span", { class: "swatch dot vessel" }), " ", t("vessels"))));
  main.append(
    h("h1", {}, t("mapTitle")),
    h("div", { class: "with-side" }, mapEl, h("aside", { class: "side" }, familyBoxes, scenarioBox, legend, status)),
  );
  const map = corridorMap(mapEl, t("mapTitle"));
  let layer: L.LayerGroup | null = null;
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
    if (role !== "coordinator" && role !== "admin" && role !== "operator") return;
    const coords = nodeCoords(doc);
    const { data } = await api.GET("/corridor/state");
    for (const p of data?.ports ?? []) drawPort(p, coords);
    data?.vessels.forEach((v, i) => drawVessel(v, i, coords));
  }

  function drawPort(p: Schemas["PortStatePublic"], coords: Map<string, [number, number]>): void {
    const at = coords.get(p.place);
    if (!at) return;
    const units = p.waiting.railcar + p.waiting.teu + p.waiting.truck;
    L.circleMarker(at, { radius: 6 + 3 * Math.sqrt(units), color: "#b71c1c", weight: 2, fillOpacity: 0.35, className: "port-queue" })
      .bindTooltip(`${p.name}: ${units} ${t("waiting")} (${p.waiting.teu} TEU, ${p.waiting.railcar} railcars, ${p.waiting.truck} trucks)`)
      .addTo(overlay);
  }

  function drawVessel(v: Schemas["VesselStatePublic"], i: number, coords: Map<string, [number, number]>): void {
    const at = coords.get(v.place);
    if (!at) return;
    // Vessels at the same place fan out a little so each stays visible.
    const spread: [number, number] = [at[0] - 0.25 - 0.12 * (i % 5), at[1] + 0.3 * Math.floor(i / 5) - 0.6];
    L.circleMarker(spread, { radius: 4, color: "#0d47a1", weight: 2, fillColor: "#bbdefb", fillOpacity: 1 })
      .bindTooltip(`${v.name} · ${v.status} ${v.place} · ${t("lastSeen")} ${fmtDate(v.since)}`)
      .addTo(overlay);
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
