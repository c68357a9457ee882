/** The control's version, as in ControlManifest.Input.xml (`npm run version:bump` raises both; a test keeps them equal). */
export const CONTROL_VERSION = "1.0.0";
