/** BCP 47 tags of the languages the control ships, by Dataverse LCID. */
const TAGS: Record<number, string> = {
  1025: "ar-SA", 1030: "da-DK", 1031: "de-DE", 1033: "en-US", 1036: "fr-FR", 1037: "he-IL", 1040: "it-IT",
  1041: "ja-JP", 1043: "nl-NL", 1044: "nb-NO", 1046: "pt-BR", 1053: "sv-SE", 3082: "es-ES",
};

/** The `lang` of the control's text: the user's language when the control ships it, else English (the platform then serves the English file). */
export function languageTag(lcid: number | undefined): string {
  return TAGS[lcid ?? 1033] ?? "en-US";
}
