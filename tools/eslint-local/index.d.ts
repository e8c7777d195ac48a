// Types for index.js, so the packages' tests can import the plugin (each casts the rule to
// its own ESLint's Rule.RuleModule: this folder has no node_modules to import types from).
declare const plugin: {
  meta: { name: string };
  rules: { "no-literal-ui-string": object };
};
export default plugin;
