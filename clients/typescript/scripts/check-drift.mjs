// Fails when src/schema.ts is not what openapi-typescript makes of the committed
// openapi/openapi.json (the same promise as the drift test of the document).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "tremplin-schema-"));
try {
  const fresh = join(dir, "schema.ts");
  execFileSync(join(root, "node_modules/.bin/openapi-typescript"), ["../../openapi/openapi.json", "--output", fresh], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (readFileSync(fresh, "utf8") !== readFileSync(join(root, "src/schema.ts"), "utf8")) {
    console.error("clients/typescript/src/schema.ts is out of date; regenerate it with:\n\n    (cd clients/typescript && npm run generate)\n");
    process.exit(1);
  }
  console.log("src/schema.ts matches openapi/openapi.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
