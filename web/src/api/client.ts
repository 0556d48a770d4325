// The typed API client: generated types from the service's OpenAPI document, so a change in
// the API that breaks the page breaks the build.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

let csrfToken = "";

/** Remember the session's CSRF token; it goes with every change. */
export function setCsrf(token: string): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET" && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** The API's error message: each invalid field with its message, else the one-line detail. */
export function errorText(error: unknown): string {
  const fields = (error as { errors?: { field: string; message: string }[] } | null)?.errors;
  if (fields && fields.length) return fields.map((f) => `${f.field}: ${f.message}`).join("; ");
  if (error && typeof error === "object" && "detail" in error) {
    const detail = (error as { detail: unknown }).detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail
        .map((d) => {
          const item = d as { loc?: unknown[]; msg?: string };
          const where = (item.loc ?? []).filter((p) => p !== "body").join(".");
          return where ? `${where}: ${item.msg}` : String(item.msg);
        })
        .join("; ");
    }
    return JSON.stringify(detail);
  }
  return String(error);
}
