/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/PrerequisiteChecklist", "<rootDir>/tests", "<rootDir>/preflight"],
  testPathIgnorePatterns: ["/node_modules/", "/out/"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: { jsx: "react", esModuleInterop: true, module: "commonjs", target: "es2020" }, diagnostics: { warnOnly: false } }],
  },
};
