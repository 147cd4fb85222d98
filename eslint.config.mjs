import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next*/**",
      "node_modules/**",
      "lib/db/generated/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      // Process-wide state has one home (docs/architecture.md, "Process state").
      "no-restricted-globals": [
        "error",
        { name: "globalThis", message: "Keep process-wide state with processState() from lib/process-state.ts." },
        { name: "global", message: "Keep process-wide state with processState() from lib/process-state.ts." },
      ],
    },
  },
  {
    files: ["lib/process-state.ts"],
    rules: { "no-restricted-globals": "off" },
  },
  {
    // The protocol core stays framework-free: no Next.js, React or Prisma (docs/architecture.md).
    files: ["lib/oauth/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["next", "next/*", "react", "react-dom", "@prisma/*", "**/db/**", "**/generated/**"] },
      ],
    },
  },
  {
    // Every change goes through the service layer (lib/services: validated, audited, seen by every
    // instance): screens and route handlers never reach the database themselves.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/lib/db", "@/lib/db/*", "**/lib/db", "**/lib/db/*", "@prisma/*"] }],
    },
  },
  {
    // The command line connects (and migrates) but changes things only through the services.
    files: ["scripts/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lib/db/*", "!**/lib/db/client.ts", "!**/lib/db/index.ts", "!**/lib/db/migrate", "!**/lib/db/migrate/*"],
              message: "Change users, clients, keys and tokens through lib/services (validated, audited, seen by every instance).",
            },
          ],
        },
      ],
    },
  },
];

export default config;
