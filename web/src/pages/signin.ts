import { api, errorText } from "../api/client";
import { h } from "../dom";
import { t } from "../i18n";
import { setSession } from "../session";

export function signInPage(main: HTMLElement, done: () => Promise<void>): void {
  const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });
  const message = h("p", { class: "error", role: "alert", "aria-live": "assertive" });
  const form = h(
    "form",
    { class: "card signin", onsubmit: async (e: Event) => {
      e.preventDefault();
      message.textContent = "";
      const { data, error } = await api.POST("/auth/signin", {
        body: { email: email.value, password: password.value },
      });
      if (!data) {
        message.textContent = errorText(error);
        return;
      }
      setSession(data);
      await done();
    } },
    h("h1", {}, t("signInTitle")),
    h("p", {}, t("signInHint")),
    h("label", { for: "email" }, t("email")), email,
    h("label", { for: "password" }, t("password")), password,
    h("button", { type: "submit" }, t("signIn")),
    message,
  );
  main.append(form);
  email.focus();
}
