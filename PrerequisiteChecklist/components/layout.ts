import { mergeStyleSets } from "@fluentui/react";

/**
 * Below this width of the control itself (a phone, a form's side column or side pane), a row's
 * status sits above its text instead of beside it. A container query: the control adapts to the
 * width the form gives it, not to the device.
 */
export const NARROW = "@container (max-width: 599px)";

/** Layout that Fluent's Stack cannot express; only start/end-neutral properties, so right to left needs nothing more. */
export const LAYOUT = mergeStyleSets({
  // Long UPNs, solution names and URLs wrap rather than push the form sideways.
  root: { containerType: "inline-size", overflowWrap: "anywhere" },
  row: { display: "flex", gap: "4px 12px", padding: "8px 0", borderTop: "1px solid #edebe9", [NARROW]: { flexDirection: "column" } },
  status: { display: "flex", alignItems: "flex-start", gap: "6px", flex: "0 0 170px", [NARROW]: { flexBasis: "auto" } },
  text: { flex: "1 1 0", minWidth: 0 },
  // Lines that wrap, with flex gaps: Stack's wrap reaches half a gap past the control's edges (negative margins), which scrolls a narrow page sideways.
  buttons: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: "8px" },
  settings: { display: "flex", flexWrap: "wrap", alignItems: "flex-start", gap: "8px 24px" },
  links: { display: "flex", flexWrap: "wrap", gap: "4px 16px" },
});
