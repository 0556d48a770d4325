// The offline map: Natural Earth country shapes (world-atlas TopoJSON) drawn by Leaflet, no tiles.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countriesUrl from "world-atlas/countries-50m.json?url";
import { t } from "./i18n";

let countries: Promise<GeoJSON.FeatureCollection> | null = null;

function loadCountries(): Promise<GeoJSON.FeatureCollection> {
  countries ??= fetch(countriesUrl)
    .then((r) => r.json() as Promise<Topology>)
    .then((topo) => feature(topo, topo.objects.countries as GeometryCollection) as GeoJSON.FeatureCollection);
  return countries;
}

export const MODE_COLOURS: Record<string, string> = {
  rail: "#7a3e00",
  road: "#6b6b6b",
  sea: "#0b5cad",
  ferry: "#008080",
};

export const OPTION_COLOURS = ["#c2185b", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037"];

/** A map of the corridor on the offline basemap, in ``el``. */
export function corridorMap(el: HTMLElement, label: string): L.Map {
  el.classList.add("map"); // sized by the style sheet before Leaflet measures it
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", label);
  const map = L.map(el, { preferCanvas: true, worldCopyJump: false, minZoom: 2, maxZoom: 10 });
  map.setView([42, 55], 4);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(t("basemapNote"));
  const pane = map.createPane("basemap");
  pane.style.zIndex = "200";
  void loadCountries().then((fc) => {
    L.geoJSON(fc, {
      pane: "basemap",
      interactive: false,
      style: { color: "#9aa5b1", weight: 0.6, fillColor: "#f3efe6", fillOpacity: 1 },
    }).addTo(map);
  });
  return map;
}

/** Network GeoJSON features as Leaflet layers: links by mode, places as small dots. */
export function networkLayer(doc: GeoJSON.FeatureCollection, families: Set<string>): L.LayerGroup {
  const group = L.layerGroup();
  const links = doc.features.filter(
    (f) => f.properties?.feature === "link" && families.has(String(f.properties?.family)),
  );
  L.geoJSON({ type: "FeatureCollection", features: links } as GeoJSON.FeatureCollection, {
    style: (f) => ({
      color: MODE_COLOURS[String(f?.properties?.mode)] ?? "#444",
      weight: f?.properties?.family === "Middle" ? 3 : 2,
      opacity: 0.85,
      dashArray: f?.properties?.mode === "ferry" || f?.properties?.mode === "sea" ? "6 4" : undefined,
    }),
    onEachFeature: (f, layer) => {
      const p = f.properties ?? {};
      layer.bindTooltip(`${p.from} → ${p.to} · ${t(p.mode as "rail")} · ${p.distance_km} km`);
    },
  }).addTo(group);
  for (const f of doc.features) {
    if (f.properties?.feature !== "node" || f.geometry.type !== "Point") continue;
    const [lon, lat] = f.geometry.coordinates;
    L.circleMarker([lat, lon], { radius: 3, color: "#222", weight: 1, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(`${f.properties.name} (${f.properties.id})`)
      .addTo(group);
  }
  return group;
}

/** Coordinates of each node id in a network GeoJSON document. */
export function nodeCoords(doc: GeoJSON.FeatureCollection): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const f of doc.features) {
    if (f.properties?.feature === "node" && f.geometry.type === "Point") {
      const [lon, lat] = f.geometry.coordinates;
      out.set(String(f.properties.id), [lat, lon]);
    }
  }
  return out;
}
