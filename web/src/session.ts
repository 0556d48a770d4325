// Who is signed in (from the service's session endpoint) and the shared network document.
import { api, setCsrf, type Schemas } from "./api/client";

export type Me = Schemas["SessionPublic"];
let me: Me | null = null;

export async function loadSession(): Promise<Me | null> {
  const { data } = await api.GET("/auth/session");
  me = data ?? null;
  if (me) setCsrf(me.csrf_token);
  return me;
}

export function currentUser(): Me | null {
  return me;
}

export function setSession(next: Me | null): void {
  me = next;
  setCsrf(next?.csrf_token ?? "");
}

const networks = new Map<string, Promise<GeoJSON.FeatureCollection>>();

/** The network as GeoJSON with ``scenarios`` switched on (fetched once per set). */
export function network(scenarios: string[] = []): Promise<GeoJSON.FeatureCollection> {
  const key = scenarios.join(",");
  let doc = networks.get(key);
  if (!doc) {
    doc = api
      .GET("/network/geojson", { params: { query: { scenario: scenarios } } })
      .then(({ data }) => data as unknown as GeoJSON.FeatureCollection);
    networks.set(key, doc);
  }
  return doc;
}
