/**
 * The parts of a PCF context that do not depend on the form: formatting, user settings, client,
 * device, utils. The form-dependent parts (parameters, mode, page, navigation) are built by host.js.
 */
import { ENTITY_SETS } from "./webapi.js";

const pad = (n) => String(n).padStart(2, "0");

/** en-US, as a user with language 1033 and the default formats sees them. */
export function createFormatting() {
  const time = (date) => {
    const h = date.getHours();
    return `${h % 12 === 0 ? 12 : h % 12}:${pad(date.getMinutes())} ${h < 12 ? "AM" : "PM"}`;
  };
  const toDate = (value) => (value instanceof Date ? value : new Date(value));
  return {
    formatDateShort(value, includeTime) {
      const date = toDate(value);
      const day = `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()}`;
      return includeTime ? `${day} ${time(date)}` : day;
    },
    formatDateLong(value) {
      return toDate(value).toLocaleDateString("en-US", { weekday: "long", year: "numeric", month: "long", day: "numeric" });
    },
    formatDateLongAbbreviated(value) {
      return toDate(value).toLocaleDateString("en-US", { weekday: "short", year: "numeric", month: "short", day: "numeric" });
    },
    formatDateYearMonth(value) {
      return toDate(value).toLocaleDateString("en-US", { year: "numeric", month: "long" });
    },
    formatTime(value) {
      return time(toDate(value));
    },
    formatInteger(value) {
      return new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(value);
    },
    formatDecimal(value, precision) {
      return new Intl.NumberFormat("en-US", { minimumFractionDigits: precision ?? 2, maximumFractionDigits: precision ?? 2 }).format(value);
    },
    formatCurrency(value, precision, symbol) {
      return `${symbol ?? "$"}${this.formatDecimal(value, precision ?? 2)}`;
    },
    formatLanguage(value) {
      return value === 1033 ? "English" : String(value);
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

/** The viewing admin, as model-driven apps give it: a braced, upper-case GUID. */
export function createUserSettings(admin) {
  const id = String(admin?.id ?? "00000000-0000-0000-0000-000000000000");
  return {
    userId: `{${id.replace(/[{}]/g, "").toUpperCase()}}`,
    userName: admin?.name ?? "",
    languageId: 1033,
    isRTL: false,
    locale: "en-US",
    securityRoles: [],
    dateFormattingInfo: {
      shortDatePattern: "M/d/yyyy",
      shortTimePattern: "h:mm tt",
      longDatePattern: "dddd, MMMM d, yyyy",
      longTimePattern: "h:mm:ss tt",
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
