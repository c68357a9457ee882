/**
 * The parts of a PCF context that do not depend on the form: formatting, user settings, client,
 * device, utils. The form-dependent parts (parameters, mode, page, navigation) are built by host.js.
 */
import { ENTITY_SETS } from "./webapi.js";

const pad = (n) => String(n).padStart(2, "0");

/** The languages the control ships, as Dataverse knows them: LCID, BCP 47 tag, name in the language itself, direction. */
export const LANGUAGES = [
  { lcid: 1033, tag: "en-US", name: "English" },
  { lcid: 1031, tag: "de-DE", name: "Deutsch" },
  { lcid: 1036, tag: "fr-FR", name: "Français" },
  { lcid: 3082, tag: "es-ES", name: "Español" },
  { lcid: 1043, tag: "nl-NL", name: "Nederlands" },
  { lcid: 1040, tag: "it-IT", name: "Italiano" },
  { lcid: 1046, tag: "pt-BR", name: "Português (Brasil)" },
  { lcid: 1030, tag: "da-DK", name: "Dansk" },
  { lcid: 1053, tag: "sv-SE", name: "Svenska" },
  { lcid: 1044, tag: "nb-NO", name: "Norsk (bokmål)" },
  { lcid: 1041, tag: "ja-JP", name: "日本語" },
  { lcid: 1025, tag: "ar-SA", name: "العربية", rtl: true },
  { lcid: 1037, tag: "he-IL", name: "עברית", rtl: true },
];

export function languageOf(lcid) {
  return LANGUAGES.find((language) => language.lcid === Number(lcid)) ?? LANGUAGES[0];
}

/**
 * Dates as a user of that language sees them with the default formats of the language (Dataverse
 * bases them on the user's format settings, which start as the language's). Gregorian calendar in
 * every language, as Dataverse's date columns are. en-US is written out as Dataverse writes it.
 */
export function createFormatting(language = LANGUAGES[0]) {
  const locale = `${language.tag}-u-ca-gregory`;
  const english = language.lcid === 1033;
  const shortDate = new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric" });
  const shortTime = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" });
  const time = (date) => {
    if (!english) return shortTime.format(date);
    const h = date.getHours();
    return `${h % 12 === 0 ? 12 : h % 12}:${pad(date.getMinutes())} ${h < 12 ? "AM" : "PM"}`;
  };
  const toDate = (value) => (value instanceof Date ? value : new Date(value));
  return {
    formatDateShort(value, includeTime) {
      const date = toDate(value);
      const day = english ? `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()}` : shortDate.format(date);
      return includeTime ? `${day} ${time(date)}` : day;
    },
    formatDateLong(value) {
      return toDate(value).toLocaleDateString(locale, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
    },
    formatDateLongAbbreviated(value) {
      return toDate(value).toLocaleDateString(locale, { weekday: "short", year: "numeric", month: "short", day: "numeric" });
    },
    formatDateYearMonth(value) {
      return toDate(value).toLocaleDateString(locale, { year: "numeric", month: "long" });
    },
    formatTime(value) {
      return time(toDate(value));
    },
    formatInteger(value) {
      return new Intl.NumberFormat(language.tag, { maximumFractionDigits: 0 }).format(value);
    },
    formatDecimal(value, precision) {
      return new Intl.NumberFormat(language.tag, { minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 }).format(value);
    },
    formatCurrency(value, precision, symbol) {
      return `${symbol ?? "$"}${this.formatDecimal(value, precision ?? 2)}`;
    },
    formatLanguage(value) {
      const known = LANGUAGES.find((l) => l.lcid === value);
      return known ? new Intl.DisplayNames([language.tag], { type: "language" }).of(known.tag) : String(value);
    },
    formatUserDateTimeToUTC(value) {
      return toDate(value).toISOString();
    },
    formatUTCDateTimeToUserDate(value) {
      return toDate(value);
    },
    getWeekOfYear(value) {
      const date = toDate(value);
      const start = new Date(date.getFullYear(), 0, 1);
      return Math.ceil(((date - start) / 86400000 + start.getDay() + 1) / 7);
    },
  };
}

/** A .NET-style pattern (`dd.MM.yyyy`) of the language's short date, from Intl's parts. */
function shortDatePattern(tag) {
  const tokens = { day: "d", month: "M", year: "yyyy" };
  return new Intl.DateTimeFormat(`${tag}-u-ca-gregory`, { year: "numeric", month: "numeric", day: "numeric" })
    .formatToParts(new Date(2026, 0, 5))
    .map((part) => (part.type in tokens ? (part.type !== "year" && part.value.length === 2 && part.value.startsWith("0") ? tokens[part.type].repeat(2) : tokens[part.type]) : part.value))
    .join("");
}

/** The viewing admin, as model-driven apps give it: a braced, upper-case GUID, and the language the bar picked. */
export function createUserSettings(admin, language = LANGUAGES[0]) {
  const id = String(admin?.id ?? "00000000-0000-0000-0000-000000000000");
  const twelveHour = new Intl.DateTimeFormat(language.tag, { hour: "numeric" }).resolvedOptions().hour12 === true;
  return {
    userId: `{${id.replace(/[{}]/g, "").toUpperCase()}}`,
    userName: admin?.name ?? "",
    languageId: language.lcid,
    isRTL: language.rtl === true,
    locale: language.tag,
    securityRoles: [],
    dateFormattingInfo: {
      shortDatePattern: language.lcid === 1033 ? "M/d/yyyy" : shortDatePattern(language.tag),
      shortTimePattern: twelveHour ? "h:mm tt" : "HH:mm",
      longDatePattern: "dddd, MMMM d, yyyy",
      longTimePattern: twelveHour ? "h:mm:ss tt" : "HH:mm:ss",
      firstDayOfWeek: 0,
      amDesignator: "AM",
      pmDesignator: "PM",
      dateSeparator: "/",
      timeSeparator: ":",
    },
    numberFormattingInfo: {
      currencyDecimalDigits: 2,
      currencyDecimalSeparator: ".",
      currencyGroupSeparator: ",",
      currencySymbol: "$",
      numberDecimalDigits: 2,
      numberDecimalSeparator: ".",
      numberGroupSeparator: ",",
      negativeSign: "-",
      positiveSign: "+",
    },
    getTimeZoneOffsetMinutes(date) {
      return -(date ?? new Date()).getTimezoneOffset();
    },
  };
}

export function createClient() {
  return {
    disableScroll: false,
    getClient: () => "Web",
    getFormFactor: () => 1,
    isOffline: () => false,
    isNetworkAvailable: () => navigator.onLine,
  };
}

const notInPlayground = (what) => () => Promise.reject({ errorCode: 0x80040216, message: `${what} is not available in the playground.` });

export function createDevice() {
  return {
    captureAudio: notInPlayground("captureAudio"),
    captureImage: notInPlayground("captureImage"),
    captureVideo: notInPlayground("captureVideo"),
    getBarcodeValue: notInPlayground("getBarcodeValue"),
    getCurrentPosition: notInPlayground("getCurrentPosition"),
    pickFile: notInPlayground("pickFile"),
  };
}

export function createUtils() {
  return {
    getEntityMetadata: (entityName) =>
      Promise.resolve({ LogicalName: entityName, EntitySetName: ENTITY_SETS[entityName] ?? `${entityName}s`, Attributes: { get: () => undefined } }),
    hasEntityPrivilege: () => true,
    lookupObjects: () => Promise.resolve([]),
  };
}

/** A Fluent 9 `tokenTheme` (a subset of webLightTheme with a teal brand) for the "new look" toggle. */
export const NEW_LOOK_TOKENS = {
  colorBrandBackground: "#0f6cbd",
  colorBrandBackgroundHover: "#115ea3",
  colorBrandBackgroundPressed: "#0c3b5e",
  colorBrandForeground2: "#0e4775",
  colorNeutralForeground1: "#242424",
  colorNeutralForeground2: "#424242",
  colorNeutralBackground1: "#ffffff",
  colorNeutralBackground3: "#f5f5f5",
  fontFamilyBase: "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, BlinkMacSystemFont, Roboto, 'Helvetica Neue', sans-serif",
};
