// Stand-in for the `server-only` package under vitest: the real one throws when
// imported outside a React Server Components bundle. Tests run server code
// directly in Node, which is exactly where server-only code is meant to run.
export {};
