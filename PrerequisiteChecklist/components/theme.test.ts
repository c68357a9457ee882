import { themeFromHost } from "./theme";

describe("themeFromHost", () => {
  it("uses Fluent 8's own theme when the host gives no design language", () => {
    expect(themeFromHost(undefined)).toBeUndefined();
  });
  it("maps the host's brand and neutral tokens onto the Fluent 8 palette", () => {
    const theme = themeFromHost({
      colorBrandBackground: "#8a2be2",
      colorBrandBackgroundHover: "#7a1bd2",
      colorBrandBackgroundPressed: "#6a0bc2",
      colorBrandForeground2: "#5a00b2",
      colorNeutralForeground1: "#111111",
      colorNeutralForeground2: "#222222",
      colorNeutralBackground1: "#fafafa",
      colorNeutralBackground3: "#eeeeee",
      fontFamilyBase: "Segoe UI Variable",
    })!;
    expect(theme.palette).toMatchObject({ themePrimary: "#8a2be2", themeDarkAlt: "#7a1bd2", neutralPrimary: "#111111", white: "#fafafa" });
    expect(theme.semanticColors.primaryButtonBackground).toBe("#8a2be2");
    expect(theme.fonts.medium.fontFamily).toContain("Segoe UI Variable");
  });
});
