/**
 * What the JS heap holds, by V8 node type, after N re-checks: a heap snapshot's self sizes summed
 * per type (code, closure, object, array, string…). Tells compiled code from objects the page keeps.
 */
export async function heapByType(cdp) {
  let json = "";
  const onChunk = ({ chunk }) => (json += chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  const snapshot = JSON.parse(json);
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const typeAt = fields.indexOf("type");
  const sizeAt = fields.indexOf("self_size");
  const totals = {};
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + typeAt]];
    totals[type] = (totals[type] ?? 0) + snapshot.nodes[i + sizeAt];
  }
  return totals;
}
