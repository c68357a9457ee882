import { formatMessage } from "../checklist/messages";
import type { Message } from "../checklist/types";

/** The control's words: every user-visible string comes from the resx through here. */
export interface Strings {
  get(key: string): string;
  format(message: Message): string;
  time(iso: string): string;
}

export function createStrings(getString: (key: string) => string, formatTime: (date: Date) => string): Strings {
  const time = (iso: string) => formatTime(new Date(iso));
  return {
    get: getString,
    time,
    format: (message) => formatMessage(message, getString, time),
  };
}
