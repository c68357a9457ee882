import * as fs from "fs";
import * as path from "path";
import { CONTROL_VERSION } from "./version";

it("reports the version the manifest declares", () => {
  const manifest = fs.readFileSync(path.join(__dirname, "ControlManifest.Input.xml"), "utf8");
  expect(/<control [^>]*\sversion="([^"]+)"/.exec(manifest)?.[1]).toBe(CONTROL_VERSION);
});
