import { api, type Schemas } from "../api/client";
import type { operations } from "../api/schema";
import { clear, errorAlert, h, table } from "../dom";
import { fmtDate, fmtNum, t, type Key } from "../i18n";

type Query = NonNullable<operations["shipments-list_shipments"]["parameters"]["query"]>;
type Status = NonNullable<Query["status"]>;
type Corridor = NonNullable<Query["corridor"]>;

const PAGE = 50;
const STATUSES: Status[] = ["planned", "in_transit", "arrived"];
const CORRIDORS: [Corridor, Key][] = [
  ["Middle", "familyMiddle"], ["Northern", "familyNorthern"], ["Sea", "familySea"], ["Direct", "familyDirect"],
];

/** The caller's shipments, searched and paged by the service. */
export async function trackingPage(main: HTMLElement): Promise<void> {
  const search = h("input", { id: "search", type: "search" });
  const status = h("select", { id: "status" }, h("option", { value: "" }, t("all")),
    STATUSES.map((s) => h("option", { value: s }, s)));
  const corridor = h("select", { id: "corridor" }, h("option", { value: "" }, t("all")),
    CORRIDORS.map(([c, key]) => h("option", { value: c }, t(key))));
  const list = h("div", { id: "shipments", "aria-live": "polite" });
  let skip = 0;
  let asked = 0;
  main.append(h("h1", {}, t("trackingTitle")),
    h("form", { class: "grid-form card", role: "search", onsubmit: (e: Event) => { e.preventDefault(); skip = 0; void load(); } },
      h("div", {}, h("label", { for: "search" }, t("search")), search),
      h("div", {}, h("label", { for: "status" }, t("status")), status),
      h("div", {}, h("label", { for: "corridor" }, t("corridorFamily")), corridor)),
    list);

  async function load(): Promise<void> {
    const ticket = ++asked;
    const query: Query = { skip, limit: PAGE };
    if (search.value.trim()) query.q = search.value.trim();
    if (status.value) query.status = status.value as Status;
    if (corridor.value) query.corridor = corridor.value as Corridor;
    const { data, error } = await api.GET("/shipments", { params: { query } });
    if (ticket !== asked) return; // a newer search has been asked for
    if (!data) {
      clear(list, errorAlert(error));
      return;
    }
    const pager = h("div", { class: "actions pager" },
      h("button", { type: "button", class: "secondary", id: "prev", disabled: skip === 0, onclick: () => { skip = Math.max(0, skip - PAGE); void load(); } }, t("previous")),
      h("span", { id: "shown" }, `${skip + 1}–${skip + data.data.length} ${t("shownOf")} `, h("strong", { id: "total" }, String(data.count))),
      h("button", { type: "button", class: "secondary", id: "next", disabled: skip + PAGE >= data.count, onclick: () => { skip += PAGE; void load(); } }, t("next")));
    clear(list, ...(data.data.length ? [table(`${t("trackingTitle")}: ${data.count}`,
      [t("reference"), t("route"), t("corridorFamily"), t("status"), t("eta"), t("delayH"), t("containers")],
      data.data.map((s: Schemas["ShipmentPublic"]) => [
        h("a", { href: `#/shipments/${s.id}` }, s.reference || `#${s.id}`),
        `${s.origin} → ${s.destination}`,
        s.corridor,
        h("span", { class: s.delay_h > 24 ? "badge bad" : "badge" }, s.status),
        fmtDate(s.eta), fmtNum(s.delay_h, 1), s.cargo.containers.join(", "),
      ]), "shipments"), pager] : [h("p", {}, t("nothing"))]));
  }

  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => { skip = 0; void load(); }, 250);
  });
  for (const select of [status, corridor]) select.addEventListener("change", () => { skip = 0; void load(); });
  await load();
}
