import { api, errorText, type Schemas } from "../api/client";
import { clear, h, table } from "../dom";
import { fmtDate, fmtNum, t } from "../i18n";

type Shipment = Schemas["ShipmentPublic"];

export async function trackingPage(main: HTMLElement): Promise<void> {
  const search = h("input", { id: "search", type: "search" });
  const status = h("select", { id: "status" }, h("option", { value: "" }, t("all")));
  const list = h("div", { id: "shipments" });
  main.append(h("h1", {}, t("trackingTitle")),
    h("div", { class: "grid-form card" },
      h("div", {}, h("label", { for: "search" }, t("search")), search),
      h("div", {}, h("label", { for: "status" }, t("status")), status)),
    list);
  const { data, error } = await api.GET("/shipments", { params: { query: { limit: 1000 } } });
  if (!data) {
    list.append(h("p", { class: "error", role: "alert" }, errorText(error)));
    return;
  }
  for (const s of [...new Set(data.data.map((x) => x.status))].sort()) status.append(h("option", { value: s }, s));
  const render = (): void => {
    const q = search.value.trim().toUpperCase();
    const rows = data.data.filter((s: Shipment) =>
      (!status.value || s.status === status.value) &&
      (!q || s.reference.toUpperCase().includes(q) || s.cargo.containers.some((c) => c.includes(q))));
    clear(list, rows.length ? table(`${t("trackingTitle")}: ${rows.length}`,
      [t("reference"), t("route"), t("status"), t("eta"), t("delayH"), t("containers")],
      rows.map((s) => [
        h("a", { href: `#/shipments/${s.id}` }, s.reference || `#${s.id}`),
        `${s.origin} → ${s.destination}`,
        h("span", { class: s.delay_h > 24 ? "badge bad" : "badge" }, s.status),
        fmtDate(s.eta), fmtNum(s.delay_h, 1), s.cargo.containers.join(", "),
      ])) : h("p", {}, t("nothing")));
  };
  search.addEventListener("input", render);
  status.addEventListener("change", render);
  render();
}
