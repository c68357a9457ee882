import { mergeStyleSets } from "@fluentui/react";
import * as React from "react";
import type { Status } from "../checklist/types";

const RING = "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 12.6A5.6 5.6 0 1 1 8 2.4a5.6 5.6 0 0 1 0 11.2z";

/**
 * Inline SVG, so no icon font is fetched. Every status has a shape of its own (met a tick,
 * confirmed a tick in a ring, not met a cross, warning a triangle, needs you a question mark,
 * cannot check a barred circle, not applicable a dash, later a clock) and its word beside it, so
 * statuses stay apart without colour: in Windows high contrast every icon takes the text colour.
 */
const ICONS: Record<Status, { color: string; path: string }> = {
  met: { color: "#107c10", path: "M6.5 11.3 3.2 8l-1 1 4.3 4.3L14 5.8l-1-1z" },
  confirmed: { color: "#107c10", path: `${RING}M6.95 10.31 4.64 8l-.7.7 3.01 3.01 5.25-5.25-.7-.7z` },
  "not-met": { color: "#a4262c", path: "M4 3 3 4l4 4-4 4 1 1 4-4 4 4 1-1-4-4 4-4-1-1-4 4z" },
  warning: { color: "#8a5a00", path: "M8 1 .5 15h15zm-.7 5h1.4v4.5H7.3zm0 5.8h1.4v1.4H7.3z" },
  "needs-confirmation": { color: "#005a9e", path: "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.7 11H7.3v-1.4h1.4zm1.5-5.3-.6.6C8.9 8 8.7 8.5 8.7 9.6H7.3v-.4c0-.8.3-1.5.8-2l.9-.9A1.3 1.3 0 1 0 6.7 5.4H5.3a2.7 2.7 0 1 1 4.9 1.3z" },
  "cannot-check": { color: "#605e5c", path: "M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zM3.3 8a4.7 4.7 0 0 1 7.5-3.8l-6.6 6.6A4.7 4.7 0 0 1 3.3 8zm4.7 4.7c-1 0-2-.3-2.8-.9l6.6-6.6A4.7 4.7 0 0 1 8 12.7z" },
  "not-applicable": { color: "#605e5c", path: "M3 7.3h10v1.4H3z" },
  pending: { color: "#605e5c", path: `${RING}M8.7 4H7.3v4.3l3.2 2 .7-1.2-2.5-1.5z` },
};

const HIGH_CONTRAST = "@media (forced-colors: active)";

const CLASSES = mergeStyleSets(
  Object.fromEntries(
    Object.entries(ICONS).map(([status, { color }]) => [
      status,
      {
        color,
        flexShrink: 0,
        [HIGH_CONTRAST]: { color: "CanvasText" },
        // Arabic writes its question mark mirrored (؟), Hebrew does not; the tick, cross and clock keep their direction.
        ...(status === "needs-confirmation" && { "&:lang(ar)": { transform: "scaleX(-1)" } }),
      },
    ]),
  ),
) as unknown as Record<Status, string>;

export const StatusIcon: React.FC<{ status: Status }> = ({ status }) => (
  <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false" className={CLASSES[status]} data-status-icon={status}>
    <path d={ICONS[status].path} fill="currentColor" fillRule="evenodd" />
  </svg>
);
