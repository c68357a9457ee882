import eslintjs from "@eslint/js";
import microsoftPowerApps from "@microsoft/eslint-plugin-power-apps";
import globals from "globals";
import typescriptEslint from "typescript-eslint";

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    ignores: ["**/generated", "out/**", "node_modules/**", "Solutions/**", "coverage/**"],
  },
  eslintjs.configs.recommended,
  ...typescriptEslint.configs.recommended,
  ...typescriptEslint.configs.stylistic,
  microsoftPowerApps.configs.paCheckerHosted,
  {
    plugins: {
      "@microsoft/power-apps": microsoftPowerApps,
    },
    languageOptions: {
      globals: {
        ...globals.browser,
        ComponentFramework: true,
      },
      parserOptions: {
        ecmaVersion: 2020,
        sourceType: "module",
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Test fixtures quote whole Web API URLs, as Dataverse returns them in @odata.nextLink.
    files: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "@microsoft/power-apps/use-relative-uri": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    ...typescriptEslint.configs.disableTypeChecked,
    languageOptions: {
      ...typescriptEslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
];
