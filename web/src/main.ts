// The single page: a hash router over the pages, the header with navigation and language.
import "./style.css";
import { api } from "./api/client";
import { clear, h } from "./dom";
import { currentLang, setLang, t, type Key } from "./i18n";
import { experimentsPage } from "./pages/experiments";
import { coordinatorPage } from "./pages/coordinator";
import { mapPage } from "./pages/map";
import { operatorPage } from "./pages/operator";
import { routesPage } from "./pages/routes";
import { shipmentPage } from "./pages/shipment";
import { signInPage } from "./pages/signin";
import { trackingPage } from "./pages/tracking";
import { whatifPage } from "./pages/whatif";
import { currentUser, loadSession, setSession } from "./session";

type Page = (main: HTMLElement, arg: string) => void | Promise<void>;

interface NavItem { hash: string; key: Key; roles: string[] }

const NAV: NavItem[] = [
  { hash: "#/map", key: "navMap", roles: ["admin", "shipper", "forwarder", "operator", "coordinator"] },
  { hash: "#/routes", key: "navRoutes", roles: ["admin", "shipper", "forwarder", "operator", "coordinator"] },
  { hash: "#/tracking", key: "navTracking", roles: ["admin", "shipper", "forwarder", "operator"] },
  { hash: "#/operator", key: "navOperator", roles: ["operator"] },
  { hash: "#/coordinator", key: "navCoordinator", roles: ["admin", "coordinator"] },
  { hash: "#/whatif", key: "navWhatif", roles: ["admin", "coordinator"] },
  { hash: "#/experiments", key: "navExperiments", roles: ["admin", "coordinator"] },
];

const PAGES: Record<string, Page> = {
  map: mapPage,
  routes: routesPage,
  tracking: trackingPage,
  shipments: shipmentPage,
  operator: operatorPage,
  coordinator: coordinatorPage,
  whatif: whatifPage,
  experiments: experimentsPage,
};

const app = document.getElementById("app")!;

function header(): HTMLElement {
  const me = currentUser();
  const here = location.hash.split("/").slice(0, 2).join("/");
  const langSelect = h(
    "select",
    { id: "lang", "aria-label": t("language"), onchange: (e: Event) => {
      setLang((e.target as HTMLSelectElement).value as "en" | "ru");
      void render();
    } },
    h("option", { value: "en", selected: currentLang() === "en" }, "English"),
    h("option", { value: "ru", selected: currentLang() === "ru" }, "Русский"),
  );
  const nav = me
    ? h("nav", { "aria-label": "main" }, h("ul", {}, NAV.filter((n) => n.roles.includes(me.role)).map((n) =>
        h("li", {}, h("a", { href: n.hash, "aria-current": here === n.hash ? "page" : undefined }, t(n.key))))),
      )
    : null;
  const who = me
    ? h("div", { class: "who" },
        h("span", {}, `${t("signedInAs")} ${me.email} · ${me.org_name} · ${me.role}`),
        h("button", { type: "button", id: "signout", onclick: () => void signOut() }, t("signOut")))
    : null;
  return h("header", { class: "top" },
    h("a", { class: "brand", href: "#/map" }, t("appName")),
    nav,
    h("div", { class: "tools" }, who, h("a", { href: "/docs" }, t("navApi")), langSelect),
  );
}

async function signOut(): Promise<void> {
  await api.POST("/auth/signout");
  setSession(null);
  location.hash = "#/signin";
}

export async function render(): Promise<void> {
  document.documentElement.lang = currentLang();
  document.querySelector(".skip")!.textContent = t("skip");
  const [, name = "map", arg = ""] = location.hash.replace(/^#/, "").split("/");
  const main = h("main", { id: "main", tabindex: "-1" });
  if (!currentUser() || name === "signin") {
    clear(app, header(), main);
    signInPage(main, async () => {
      location.hash = "#/map";
      await render();
    });
    return;
  }
  clear(app, header(), main);
  const page = PAGES[name] ?? mapPage;
  try {
    await page(main, decodeURIComponent(arg));
  } catch (err) {
    main.append(h("p", { class: "error", role: "alert" }, `${t("error")}: ${String(err)}`));
  }
}

window.addEventListener("hashchange", () => void render());
void loadSession().then(() => render());
