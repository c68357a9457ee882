import { formatMessage } from "../checklist/messages";
import type { Message } from "../checklist/types";
import { PACKED_ENGLISH } from "./english";

/** The control's words: every user-visible string comes from the resx through here. */
export interface Strings {
  get(key: string): string;
  format(message: Message): string;
  time(iso: string): string;
}

/** `whenEnglishArrives` asks for a render again once a missing key's English is unpacked (see withEnglishFallback). */
export function createStrings(getString: (key: string) => string, formatTime: (date: Date) => string, whenEnglishArrives?: () => void): Strings {
  const get = withEnglishFallback(getString, whenEnglishArrives);
  const time = (iso: string) => formatTime(new Date(iso));
  return {
    get,
    time,
    format: (message) => formatMessage(message, get, time),
  };
}

let english: Record<string, string> | undefined;
let unpacking: Promise<unknown> | undefined;

/**
 * The platform's `getString` answers the key itself when the user's resx lacks it (a translation
 * behind English, a file cached from another version). Then the English, never the key: the English
 * is packed in the bundle and unpacked on the first miss (it takes a moment; until then the string
 * is empty and `whenEnglishArrives` asks for a render).
 */
export function withEnglishFallback(getString: (key: string) => string, whenEnglishArrives?: () => void): (key: string) => string {
  let asked = false;
  return (key) => {
    const value = getString(key);
    if (value && value !== key) return value;
    if (english) return english[key] ?? "";
    unpacking ??= inflate(PACKED_ENGLISH).then((json) => (english = JSON.parse(json) as Record<string, string>));
    if (!asked) {
      asked = true;
      unpacking.then(whenEnglishArrives, () => undefined);
    }
    return "";
  };
}

/** zlib-deflated base 64 → text, with the browser's own DecompressionStream (no inflate code in the bundle). */
async function inflate(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const reader = new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  })
    .pipeThrough(new DecompressionStream("deflate"))
    .pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  for (let part = await reader.read(); !part.done; part = await reader.read()) text += part.value;
  return text;
}
