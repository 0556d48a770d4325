import { api, errorText, type Schemas } from "../api/client";
import { clear, h, table } from "../dom";
import { t } from "../i18n";
import { currentUser } from "../session";

type EventCreate = Schemas["EventCreate"];
const CODES = ["ARRI", "DEPA", "LOAD", "DISC", "GTIN", "GTOT", "INSP", "HOLD", "RELS", "SUBM"];

function nowLocal(): string {
  return new Date().toISOString().slice(0, 16);
}

/** Split a CSV text into rows of fields (double quotes may wrap fields with commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = !quoted;
      else if (c === "," && !quoted) { fields.push(field); field = ""; }
      else field += c;
    }
    fields.push(field);
    rows.push(fields.map((f) => f.trim()));
  }
  return rows;
}

export async function operatorPage(main: HTMLElement): Promise<void> {
  const me = currentUser();
  const { data } = await api.GET("/shipments", { params: { query: { limit: 1000 } } });
  const shipment = h("select", { id: "shipment", required: true },
    (data?.data ?? []).map((s) => h("option", { value: s.id }, `${s.reference || "#" + s.id} · ${s.origin} → ${s.destination}`)));
  const eventId = h("input", { id: "event-id", required: true, value: `web-${Date.now()}` });
  const type = h("select", { id: "event-type" }, ["TRANSPORT", "EQUIPMENT", "SHIPMENT"].map((x) => h("option", { value: x }, x)));
  const code = h("input", { id: "event-code", list: "codes", required: true, value: "ARRI" });
  const classifier = h("select", { id: "classifier" },
    h("option", { value: "ACT" }, `ACT (${t("actual")})`), h("option", { value: "EST" }, `EST (${t("estimated")})`),
    h("option", { value: "PLN" }, `PLN (${t("planned")})`));
  const time = h("input", { id: "event-time", type: "datetime-local", value: nowLocal(), required: true });
  const location = h("input", { id: "location", list: "my-places", required: true, value: me?.places[0] ?? "" });
  const vehicle = h("input", { id: "vehicle" });
  const mode = h("select", { id: "mode" }, h("option", { value: "" }, "—"),
    ["rail", "road", "sea", "ferry"].map((m) => h("option", { value: m }, t(m as "rail"))));
  const description = h("input", { id: "description" });
  const message = h("p", { role: "alert", id: "post-result" });
  const field = (id: string, label: string, el: HTMLElement): HTMLElement => h("div", {}, h("label", { for: id }, label), el);
  const form = h("form", { class: "card", id: "post-event", onsubmit: async (e: Event) => {
    e.preventDefault();
    const body: EventCreate = {
      event_id: eventId.value, shipment_id: Number(shipment.value), event_type: type.value as EventCreate["event_type"],
      event_code: code.value, classifier: classifier.value as "ACT", event_time: `${time.value}:00Z`,
      location: location.value, vehicle: vehicle.value, description: description.value,
      mode: (mode.value || null) as EventCreate["mode"],
    };
    const { data: stored, error } = await api.POST("/events", { body });
    message.className = stored ? "ok" : "error";
    message.textContent = stored
      ? `${t("posted")}: ${stored.event_code} ${stored.location} (#${stored.id})`
      : `${t("apiError")}: ${errorText(error)}`;
    if (stored) eventId.value = `web-${Date.now()}`;
  } },
  h("h2", {}, t("operatorTitle")),
  h("div", { class: "grid-form" },
    field("shipment", t("shipmentId"), shipment), field("event-id", t("eventId"), eventId),
    field("event-type", t("eventType"), type), field("event-code", t("eventCode"), code),
    field("classifier", t("classifier"), classifier), field("event-time", t("eventTime"), time),
    field("location", t("location"), location), field("vehicle", t("vehicle"), vehicle),
    field("mode", t("mode"), mode), field("description", t("description"), description)),
  h("datalist", { id: "codes" }, CODES.map((c) => h("option", { value: c }))),
  h("datalist", { id: "my-places" }, (me?.places ?? []).map((p) => h("option", { value: p }))),
  h("div", { class: "actions" }, h("button", { type: "submit" }, t("post"))), message);

  const file = h("input", { id: "csv", type: "file", accept: ".csv,text/csv" });
  const uploadResult = h("div", { id: "upload-result", "aria-live": "polite" });
  const upload = h("form", { class: "card", onsubmit: async (e: Event) => {
    e.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    const [head, ...rows] = parseCsv(await f.text());
    const events = rows.map((r) => {
      const item: Record<string, unknown> = {};
      // Ids are numbers in the API; a cell that is not one is sent as it is, for the API to name.
      head.forEach((col, i) => {
        if (r[i] === undefined || r[i] === "") return;
        item[col] = col === "shipment_id" && /^\d+$/.test(r[i]) ? Number(r[i]) : r[i];
      });
      return item as unknown as EventCreate;
    });
    const { data: result, error } = await api.POST("/events/bulk", { body: { events } });
    if (!result) {
      clear(uploadResult, h("p", { class: "error", role: "alert" }, `${t("apiError")}: ${errorText(error)}`));
      return;
    }
    clear(uploadResult,
      h("p", {}, `${t("created")}: ${result.created}, ${t("duplicates")}: ${result.duplicates}, ${t("rejected")}: ${result.rejected}`),
      table(t("result"), [t("row"), t("eventId"), t("status"), t("error")],
        result.results.map((r, i) => [i + 2, r.event_id, r.status, r.error])));
  } },
  h("h2", {}, t("uploadCsv")), h("p", { class: "muted", id: "csv-hint" }, t("csvHint")),
  h("label", { for: "csv" }, t("uploadCsv")), file,
  h("div", { class: "actions" }, h("button", { type: "submit" }, t("upload"))), uploadResult);

  main.append(h("h1", {}, t("navOperator")), form, upload);
}
