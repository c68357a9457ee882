/**
 * The preflight's words: the control's own resx files (bundled into the command), so every status,
 * reason and title reads exactly as on the form, plus the `Preflight_…` keys for the command itself.
 * A key missing in a language falls back to English, never to the key.
 */
import { formatMessage } from "../PrerequisiteChecklist/checklist/messages";
import type { Message } from "../PrerequisiteChecklist/checklist/types";

export const ENGLISH = 1033;

/** LCIDs of the languages Dataverse offers, by BCP 47 tag (lower-case). */
const LCID_BY_TAG: Record<string, number> = {
  ar: 1025, bg: 1026, ca: 1027, "zh-tw": 1028, cs: 1029, da: 1030, de: 1031, el: 1032, en: 1033, fi: 1035,
  fr: 1036, he: 1037, hu: 1038, it: 1040, ja: 1041, ko: 1042, nl: 1043, nb: 1044, no: 1044, pl: 1045,
  "pt-br": 1046, pt: 1046, ro: 1048, ru: 1049, hr: 1050, sk: 1051, sv: 1053, th: 1054, tr: 1055, id: 1057,
  uk: 1058, sl: 1060, et: 1061, lv: 1062, lt: 1063, vi: 1066, eu: 1069, hi: 1081, kk: 1087, ms: 1086,
  gl: 1110, "zh-cn": 2052, zh: 2052, "pt-pt": 2070, "sr-latn": 2074, "zh-hk": 3076, es: 3082, "sr-cyrl": 3098, sr: 3098,
};

/** The tag Intl formats times with, for an LCID. */
export function tagOfLcid(lcid: number): string {
  const exact = Object.entries(LCID_BY_TAG).find(([tag, code]) => code === lcid && tag.includes("-"));
  const any = exact ?? Object.entries(LCID_BY_TAG).find(([, code]) => code === lcid);
  return any ? any[0] : "en";
}

/** `de_DE.UTF-8`, `pt-BR`, `de` → an LCID, or undefined when the language is not one Dataverse offers. */
export function lcidOfLocale(locale: string): number | undefined {
  const base = locale.split(/[.@]/)[0].replace(/_/g, "-").toLowerCase();
  if (base === "" || base === "c" || base === "posix") return undefined;
  const [language, region] = base.split("-");
  // glibc names the script as a modifier: sr_RS@latin.
  if (/@latin\b/i.test(locale) && LCID_BY_TAG[`${language}-latn`]) return LCID_BY_TAG[`${language}-latn`];
  return LCID_BY_TAG[region ? `${language}-${region}` : language] ?? LCID_BY_TAG[language];
}

/** The terminal's language, as the C library picks it: LC_ALL, then LC_MESSAGES, then LANG. */
export function lcidOfEnvironment(env: Record<string, string | undefined>): number {
  for (const name of ["LC_ALL", "LC_MESSAGES", "LANG"]) {
    const value = env[name];
    if (value) return lcidOfLocale(value) ?? ENGLISH;
  }
  return ENGLISH;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === "#") return String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/** The `<data name><value>` pairs of a resx file. */
export function parseResx(xml: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [, key, value] of xml.matchAll(/<data\s+name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)) {
    values.set(key, unescapeXml(value));
  }
  return values;
}

/** The LCID of a resx file name, `PrerequisiteChecklist.1031.resx` → 1031. */
export function lcidOfResxName(name: string): number | undefined {
  const match = /\.(\d+)\.resx$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export interface Strings {
  /** The language actually used (English when the requested one has no resx). */
  lcid: number;
  /** Its BCP 47 tag, for dates. */
  tag: string;
  get(key: string): string;
  /** A resx sentence with `{name}` arguments filled in. */
  text(key: string, args?: Record<string, string | number>): string;
  /** A control message (reason, headline…), nested messages and times included. */
  format(message: Message): string;
  formatTime(iso: string): string;
}

/**
 * @param resx the bundled resx files, by LCID
 * @param lcid the language asked for
 * @param timeZone for tests; default the machine's
 */
export function createStrings(resx: Record<number, string>, lcid: number, timeZone?: string): Strings {
  const english = parseResx(resx[ENGLISH] ?? "");
  const chosen = resx[lcid] !== undefined ? lcid : ENGLISH;
  const own = chosen === ENGLISH ? english : parseResx(resx[chosen]);
  const tag = tagOfLcid(chosen);
  const get = (key: string): string => {
    const value = own.get(key) || english.get(key);
    // A key missing in English too is a bug in this command; the test of the strings catches it.
    if (value === undefined) throw new Error(`No string ${key} in the English resx`);
    return value;
  };
  // Made on first use: loading the locale data costs tens of milliseconds that --help need not pay.
  let timeFormat: Intl.DateTimeFormat | undefined;
  const format = (): Intl.DateTimeFormat => {
    if (timeFormat) return timeFormat;
    try {
      timeFormat = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone });
    } catch {
      timeFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone });
    }
    return timeFormat;
  };
  const formatTime = (iso: string): string => {
    const time = Date.parse(iso);
    return Number.isNaN(time) ? iso : format().format(new Date(time));
  };
  return {
    lcid: chosen,
    tag,
    get,
    text: (key, args) => formatMessage(args ? { key, args } : { key }, get, formatTime),
    format: (message) => formatMessage(message, get, formatTime),
    formatTime,
  };
}
