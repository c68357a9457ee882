import { createTheme, type Theme } from "@fluentui/react";

/**
 * The host's Fluent 9 theme (`context.fluentDesignLanguage.tokenTheme`), mapped onto the Fluent 8
 * slots this control uses; Fluent 8 controls must do this themselves.
 */
export function themeFromHost(tokens: Record<string, string> | undefined): Theme | undefined {
  if (!tokens) return undefined;
  return createTheme({
    palette: {
      themePrimary: tokens.colorBrandBackground,
      themeDarkAlt: tokens.colorBrandBackgroundHover,
      themeDark: tokens.colorBrandBackgroundPressed,
      themeDarker: tokens.colorBrandForeground2,
      neutralPrimary: tokens.colorNeutralForeground1,
      neutralSecondary: tokens.colorNeutralForeground2,
      neutralLight: tokens.colorNeutralBackground3,
      white: tokens.colorNeutralBackground1,
    },
    defaultFontStyle: { fontFamily: tokens.fontFamilyBase },
  });
}
