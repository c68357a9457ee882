/**
 * The live line on stderr while reading ("Reading Dataverse: 3 requests · Microsoft Graph: round 1…"),
 * redrawn in place. Only on a terminal: a pipe or a log gets nothing, so output stays parseable.
 */
export interface Progress {
  /** Replace the line. */
  show(text: string): void;
  /** Remove it before anything else is printed. */
  clear(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export const silentProgress: Progress = { show: () => undefined, clear: () => undefined };

export function createProgress(stream: ProgressStream): Progress {
  if (!stream.isTTY) return silentProgress;
  let shown = false;
  let last = "";
  return {
    show(text) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      if (line === last) return;
      last = line;
      shown = true;
      stream.write(`\r\x1b[2K${line}`);
    },
    clear() {
      if (!shown) return;
      shown = false;
      last = "";
      stream.write("\r\x1b[2K");
    },
  };
}
