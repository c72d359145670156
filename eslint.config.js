// Lint configuration: typescript-eslint's recommended rules on every TypeScript source.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "test-output/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/server/src/**", "**/client-sdk/src/**"], message: "import the package, not its sources" }] }],
    },
  },
  {
    files: ["shared/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@care-gateway/server*", "@care-gateway/client-sdk*"], message: "shared/ is a leaf: it imports nothing of ours" }] }],
    },
  },
  {
    files: ["client-sdk/src/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*", "joi", "@care-gateway/shared/schemas"], message: "the SDK runs in browsers: no Node built-ins, no Joi" }] }],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly", process: "readonly", __dirname: "readonly" } },
  },
);
