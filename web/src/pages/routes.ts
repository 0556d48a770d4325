import { h } from "../dom";
import { t } from "../i18n";

export async function routesPage(main: HTMLElement, _arg: string): Promise<void> {
  main.append(h("h1", {}, t("loading")));
}
