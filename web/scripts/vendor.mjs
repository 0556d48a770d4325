// Copy Swagger UI and ReDoc from their npm packages next to the built page, so the API docs
// load from the service itself.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = new URL("../../src/midcorridor/web/static/assets/vendor/", import.meta.url).pathname;
const swagger = dirname(require.resolve("swagger-ui-dist/package.json"));
const redoc = dirname(require.resolve("redoc/package.json"));

mkdirSync(join(out, "swagger-ui"), { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"]) {
  cpSync(join(swagger, f), join(out, "swagger-ui", f));
}
mkdirSync(join(out, "redoc"), { recursive: true });
cpSync(join(redoc, "bundles", "redoc.standalone.js"), join(out, "redoc", "redoc.standalone.js"));
console.log(`API docs assets copied to ${out}`);
