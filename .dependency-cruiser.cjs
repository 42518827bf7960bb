// The import graph, type-only imports included (`tsPreCompilationDeps`).
// ESLint's import/no-cycle and import/no-restricted-paths (eslint.config.mjs)
// catch these while editing, but no-cycle skips `import type`, so a cycle made
// of types alone (the old personas form ↔ reset button) passes it. This check
// runs in `npm test`'s lint step over the whole graph: `npx depcruise src inngest`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle means two modules are one; move what both need down a layer.",
      from: { path: "^(src|inngest)/", pathNot: "^src/server/db/generated/" },
      to: { circular: true },
    },
    {
      name: "components-not-to-features",
      severity: "error",
      comment: "components/ is shared UI and never imports a feature or a page.",
      from: { path: "^src/components/" },
      to: { path: "^src/(features|app)/" },
    },
    {
      name: "no-feature-to-feature",
      severity: "error",
      comment: "A feature never imports another feature: shared UI goes to components/, shared types to lib/.",
      from: { path: "^src/features/([^/]+)/" },
      to: { path: "^src/features/", pathNot: "^src/features/$1/" },
    },
    {
      name: "lib-imports-no-ui",
      severity: "error",
      comment: "lib/ is the bottom layer.",
      from: { path: "^src/lib/" },
      to: { path: "^src/(features|components|app)/" },
    },
    {
      name: "only-chat-imports-chat",
      severity: "error",
      comment: "Persona work is shared through services/assist; only chat (and its transport) imports services/chat.",
      from: { path: "^(src/server/services/|inngest/)", pathNot: "^src/server/services/chat/" },
      to: { path: "^src/server/services/chat/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/server/db/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
