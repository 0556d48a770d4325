import L from "leaflet";
import { api, errorText, type Schemas } from "../api/client";
import { corridorMap, OPTION_COLOURS } from "../basemap";
import { chartBox, draw } from "../charts";
import { clear, download, h, table } from "../dom";
import { fmtDate, fmtNum, t, type Key } from "../i18n";

type Routes = Schemas["RoutesPublic"];
type Option = Schemas["RouteOptionPublic"];

/** An input with type-ahead over the service's place look-up (aliases, scripts, misspellings). */
export function placeInput(id: string, value: string): HTMLElement {
  const list = h("datalist", { id: `${id}-list` });
  const input = h("input", {
    id, name: id, list: `${id}-list`, autocomplete: "off", required: true, value, "aria-describedby": `${id}-hint`,
  });
  let timer = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (!q) return;
    timer = window.setTimeout(async () => {
      const { data } = await api.GET("/network/places", { params: { query: { q, limit: 8 } } });
      clear(list, ...(data?.data ?? []).map((p) =>
        h("option", { value: p.id, label: `${p.name} · ${p.matched} · ${p.country}` })));
    }, 150);
  });
  return h("div", {}, h("label", { for: id }, t(id as Key)), input, list,
    h("small", { id: `${id}-hint`, class: "muted" }, t("placeHint")));
}

function tomorrow(): string {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

export async function routesPage(main: HTMLElement): Promise<void> {
  const amount = h("input", { id: "amount", type: "number", min: "0.1", step: "any", value: "2", required: true });
  const unit = h("select", { id: "unit" }, h("option", { value: "teu" }, t("teu")), h("option", { value: "tonnes" }, t("tonnes")));
  const depart = h("input", { id: "depart", type: "date", value: tomorrow(), required: true });
  const objective = h("select", { id: "objective" },
    (["time", "cost", "co2"] as const).map((o) => h("option", { value: o }, t(o === "time" ? "objTime" : o === "cost" ? "objCost" : "objCo2"))));
  const avoid = h("input", { id: "avoid-countries", placeholder: "RU, BY", pattern: "^\\s*([A-Za-z]{2}\\s*(,\\s*)?)*$" });
  const modes = h("fieldset", { class: "inline" }, h("legend", {}, t("avoidModes")),
    (["rail", "road", "sea", "ferry"] as const).map((m) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "avoid-mode", value: m }), " ", t(m))));
  const message = h("p", { role: "alert", class: "error" });
  const button = h("button", { type: "submit" }, t("plan"));
  const results = h("section", { id: "results", "aria-live": "polite" });
  const form = h("form", { class: "card", onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    h("div", { class: "grid-form" },
      placeInput("origin", "Xi'an"), placeInput("destination", "Istanbul"),
      h("div", {}, h("label", { for: "depart" }, t("depart")), depart),
      h("div", {}, h("label", { for: "amount" }, t("amount")), amount),
      h("div", {}, h("label", { for: "unit" }, t("unit")), unit),
      h("div", {}, h("label", { for: "objective" }, t("objective")), objective),
      h("div", {}, h("label", { for: "avoid-countries" }, t("avoidCountries")), avoid)),
    modes, h("div", { class: "actions" }, button), message);
  const mapEl = h("div", { id: "routes-map", class: "small" });
  main.append(h("h1", {}, t("routesTitle")), form, mapEl, results);
  const map = corridorMap(mapEl, t("options"));
  const lines = L.layerGroup().addTo(map);
  const svg = L.svg();

  async function submit(): Promise<void> {
    message.textContent = "";
    button.disabled = true;
    button.textContent = t("planning");
    const countries = avoid.value.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean);
    const avoidModes = [...form.querySelectorAll<HTMLInputElement>("input[name=avoid-mode]:checked")]
      .map((b) => b.value as "rail");
    const value = Number(amount.value);
    const { data, error } = await api.POST("/planner/routes", {
      body: {
        origin: (form.querySelector("#origin") as HTMLInputElement).value,
        destination: (form.querySelector("#destination") as HTMLInputElement).value,
        depart: `${depart.value}T00:00:00Z`,
        ...(unit.value === "teu" ? { teu: value } : { tonnes: value }),
        objective: objective.value as "time",
        avoid_countries: countries,
        avoid_modes: avoidModes,
      },
    });
    button.disabled = false;
    button.textContent = t("plan");
    if (!data) {
      message.textContent = `${t("apiError")}: ${errorText(error)}`;
      clear(results);
      lines.clearLayers();
      return;
    }
    show(data);
  }

  function show(plan: Routes): void {
    const select = (rank: number): void => {
      drawLines(plan, rank);
      clear(legs, ...legsOf(plan.options[rank - 1]));
      for (const tr of tableEl.querySelectorAll("tbody tr")) tr.classList.toggle("selected", tr.getAttribute("data-rank") === String(rank));
    };
    const tableEl = table(t("options"),
      [t("rank"), t("corridor"), t("days"), t("costUsd"), t("co2eKg"), t("transshipments"), t("borders"), t("distanceKm"), ""],
      plan.options.map((o) => [
        swatchOf(o.rank), o.corridor + (o.pareto ? "" : ` (${t("dominated")})`), fmtNum(o.total_hours / 24, 1),
        fmtNum(o.cost_usd), fmtNum(o.co2e_kg), o.transshipments, o.borders, fmtNum(o.distance_km),
        h("button", { type: "button", class: "secondary", onclick: () => select(o.rank) }, t("showOption")),
      ]), "options");
    tableEl.querySelectorAll("tbody tr").forEach((tr, i) => tr.setAttribute("data-rank", String(plan.options[i].rank)));
    const { box, canvas } = chartBox(t("chartTitle"));
    const legs = h("div", { id: "legs" });
    clear(results,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => download("routes.csv", "text/csv", csvOf(plan)) }, t("exportCsv")),
        h("button", { type: "button", class: "secondary", onclick: () => download("routes.geojson", "application/geo+json", JSON.stringify(plan.geojson)) }, t("exportGeojson"))),
      tableEl, h("h2", {}, t("chartTitle")), box, legs);
    const maxCo2 = Math.max(...plan.options.map((o) => o.co2e_kg));
    draw(canvas, {
      type: "bubble",
      data: {
        datasets: plan.options.map((o) => ({
          label: `${o.rank}. ${o.corridor}`,
          data: [{ x: o.total_hours / 24, y: o.cost_usd, r: 6 + 14 * Math.sqrt(o.co2e_kg / maxCo2) }],
          backgroundColor: OPTION_COLOURS[(o.rank - 1) % OPTION_COLOURS.length] + "aa",
        })),
      },
      options: {
        scales: { x: { title: { display: true, text: t("days") } }, y: { title: { display: true, text: t("costUsd") } } },
        plugins: { tooltip: { callbacks: { label: (c) => {
          const o = plan.options[c.datasetIndex];
          return `${o.corridor}: ${fmtNum(o.total_hours / 24, 1)} ${t("days")}, ${fmtNum(o.cost_usd)} USD, ${fmtNum(o.co2e_kg)} kg CO2e`;
        } } } },
      },
    });
    select(1);
  }

  function drawLines(plan: Routes, selected: number): void {
    lines.clearLayers();
    // SVG (not the page's canvas) so each option is its own element on the map.
    const options = { renderer: svg, className: "route-option" } as L.GeoJSONOptions;
    const layer = L.geoJSON(plan.geojson as unknown as GeoJSON.FeatureCollection, {
      ...options,
      style: (f) => {
        const rank = Number(f?.properties?.rank);
        return { color: OPTION_COLOURS[(rank - 1) % OPTION_COLOURS.length], weight: rank === selected ? 6 : 3, opacity: rank === selected ? 0.95 : 0.6 };
      },
      onEachFeature: (f, l) => l.bindTooltip(`${f.properties.rank}. ${f.properties.corridor}`),
    }).addTo(lines);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
  }
}

function swatchOf(rank: number): HTMLElement {
  const s = h("span", { class: "swatch" }, ` ${rank}`);
  s.style.borderLeft = `1.2rem solid ${OPTION_COLOURS[(rank - 1) % OPTION_COLOURS.length]}`;
  return s;
}

function legsOf(option: Option): Node[] {
  const start = Date.parse(option.legs[0].depart) - (option.legs[0].wait_h + option.legs[0].dwell_h) * 3600e3;
  const end = Date.parse(option.legs[option.legs.length - 1].arrive);
  const span = Math.max(end - start, 1);
  const bar = h("div", { class: "timeline", "aria-hidden": "true" });
  for (const leg of option.legs) {
    const waitMs = (leg.wait_h + leg.dwell_h) * 3600e3;
    if (waitMs > 0) {
      const w = h("div", { class: "seg wait", title: `${leg.origin}: ${fmtNum(leg.wait_h + leg.dwell_h, 1)} ${t("hours")}` });
      w.style.width = `${(100 * waitMs) / span}%`;
      bar.append(w);
    }
    const seg = h("div", { class: `seg mode-${leg.mode}`, title: `${leg.origin} → ${leg.destination}` }, `${leg.origin}→${leg.destination}`);
    seg.style.width = `${(100 * (Date.parse(leg.arrive) - Date.parse(leg.depart))) / span}%`;
    bar.append(seg);
  }
  return [
    h("h2", {}, `${t("timeline")} ${option.rank}: ${option.corridor}`),
    bar,
    table(`${t("timeline")} ${option.rank}`,
      [t("leg"), t("mode"), t("departs"), t("arrives"), t("waitH"), t("dwellH"), t("distanceKm"), t("costUsd"), t("co2eKg")],
      option.legs.map((g) => [`${g.origin} → ${g.destination}`, t(g.mode as Key), fmtDate(g.depart), fmtDate(g.arrive),
        fmtNum(g.wait_h, 1), fmtNum(g.dwell_h, 1), fmtNum(g.distance_km), fmtNum(g.cost_usd), fmtNum(g.co2e_kg)])),
  ];
}

function csvOf(plan: Routes): string {
  const head = ["rank", "corridor", "family", "pareto", "days", "cost_usd", "co2e_kg", "transshipments", "borders", "distance_km"];
  const quote = (v: unknown): string => /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  const rows = plan.options.map((o) => [o.rank, o.corridor, o.family, o.pareto, (o.total_hours / 24).toFixed(2), o.cost_usd, o.co2e_kg, o.transshipments, o.borders, o.distance_km]);
  return [head, ...rows].map((r) => r.map(quote).join(",")).join("\n") + "\n";
}
