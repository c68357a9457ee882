import type { Message, MessageArg } from "./types";

export type GetString = (key: string) => string;
export type FormatTime = (iso: string) => string;

/** Fill a resx sentence's `{name}` placeholders; nested messages are translated too. */
export function formatMessage(message: Message, getString: GetString, formatTime: FormatTime): string {
  const text = getString(message.key);
  const args = message.args;
  if (!args) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const arg: MessageArg | undefined = args[name];
    if (arg === undefined) return whole;
    if (typeof arg === "string" || typeof arg === "number") return String(arg);
    if ("time" in arg) return formatTime(arg.time);
    return formatMessage(arg, getString, formatTime);
  });
}
