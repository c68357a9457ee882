/**
 * A stand-in, in front of the Dataverse emulator, for the two things `--save` needs that the
 * emulator does not answer yet (asked of its owner; remove this once it does):
 *  - `EntityDefinitions(LogicalName='t')/Attributes(LogicalName='c')/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=MaxLength`
 *    answered from the emulator's own schema (`maxLength`);
 *  - `If-Match: W/"<version>"` on a PATCH compared with the row's version: 412 when it changed,
 *    with Dataverse's error body.
 * Everything else goes to the emulator untouched, so its request log stays the one to assert on.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { TABLES, type Emulator } from "../../playground/emulator/emulator.cjs";

export interface Front {
  url: string;
  /** Every request, as it came (method and decoded path). */
  seen: { method: string; path: string; status?: number }[];
  /** Called when a PATCH arrives, before its If-Match is checked: a test saves "another admin's" tick here. */
  beforePatch?: () => void;
  close(): Promise<void>;
}

const METADATA = /^\/api\/data\/v9\.\d\/EntityDefinitions\(LogicalName='(\w+)'\)\/Attributes\(LogicalName='(\w+)'\)\/Microsoft\.Dynamics\.CRM\.MemoAttributeMetadata$/;
const ROW = /^\/api\/data\/v9\.\d\/(\w+)\(([0-9a-f-]{36})\)$/i;

export async function startFront(emulator: Emulator): Promise<Front> {
  const front: Front = {
    url: "",
    seen: [],
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const pathname = decodeURIComponent(url.split("?")[0]);
    const entry: { method: string; path: string; status?: number } = { method: req.method ?? "", path: decodeURIComponent(url) };
    front.seen.push(entry);
    res.on("finish", () => (entry.status = res.statusCode));
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "Content-Type": "application/json; odata.metadata=minimal", "OData-Version": "4.0", "Content-Length": Buffer.byteLength(text) }).end(text);
    };

    const metadata = METADATA.exec(pathname);
    if (metadata && req.method === "GET") {
      const max = TABLES[metadata[1]]?.maxLength?.[metadata[2]];
      if (max === undefined) return send(404, { error: { code: "0x80040217", message: `Could not find attribute ${metadata[2]} on ${metadata[1]}` } });
      return send(200, { "@odata.context": "…$metadata#EntityDefinitions('…')/Attributes/Microsoft.Dynamics.CRM.MemoAttributeMetadata(MaxLength)/$entity", MaxLength: max, MetadataId: "00000000-0000-0000-0000-000000000001" });
    }
    const row = ROW.exec(pathname);
    const ifMatch = req.headers["if-match"];
    if (row && req.method === "PATCH" && typeof ifMatch === "string" && ifMatch !== "*") {
      front.beforePatch?.();
      const table = Object.values(TABLES).find((t) => t.entitySet === row[1]);
      const current = table ? `W/"${emulator.store.version(table.logicalName, row[2])}"` : null;
      if (current !== ifMatch) {
        req.resume();
        return send(412, { error: { code: "0x80060882", message: "The version of the existing record doesn't match the RowVersion property provided." } });
      }
    }
    void emulator.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return front;
}
