// Owns Wisp's own ESLint rules, shared by the desktop UI (ui/) and the reveal page
// (crates/wisp-server/reveal/). Plain ESM with no dependency, so either package's ESLint
// loads it by relative path.
//
// no-literal-ui-string: every word a person reads comes from the dictionaries. Flags
//   - JSX text with a letter in it (`<p>Hello</p>`), and string literals or template
//     literals rendered as JSX children (`{"Hello"}`, `{ok ? "Yes" : "No"}`);
//   - string literals in user-visible JSX attributes (title, aria-label, placeholder, alt,
//     label, aria-description, aria-placeholder, aria-roledescription, aria-valuetext);
//   - for DOM builders (option `callees`, e.g. ["h"] for `h(tag, props, ...children)`):
//     literal children, a literal `text:` prop and literal user-visible `attrs`;
//   - `el.textContent = "…"` (and innerText, title, placeholder, alt, ariaLabel) and
//     `el.setAttribute("aria-label", "…")` with a literal.
// Text without a letter ("·", "—", "…", "42 %") passes, and so do the words in `allow`
// (brand names: ["Wisp"]).

const VISIBLE_ATTRS = new Set([
  "title",
  "aria-label",
  "placeholder",
  "alt",
  "label",
  "aria-description",
  "aria-placeholder",
  "aria-roledescription",
  "aria-valuetext",
]);
const VISIBLE_PROPS = new Set(["textContent", "innerText", "title", "placeholder", "alt", "ariaLabel", "ariaDescription"]);
const LETTER = /\p{L}/u;

const escapeRegExp = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `text` still has a letter once the allowed words (brand names) are taken out. */
function isWords(text, allow) {
  let rest = text;
  for (const word of allow) rest = rest.replace(new RegExp(`(?<!\\p{L})${escapeRegExp(word)}(?!\\p{L})`, "gu"), " ");
  return LETTER.test(rest);
}

/** @type {import("eslint").Rule.RuleModule} */
const noLiteralUiString = {
  meta: {
    type: "problem",
    docs: { description: "User-visible text must come from the i18n dictionaries, not literals." },
    schema: [
      {
        type: "object",
        properties: {
          allow: { type: "array", items: { type: "string" } },
          callees: { type: "array", items: { type: "string" } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      text: "User-visible text {{text}}: put it in the dictionaries and use t().",
      attr: "User-visible attribute {{name}}={{text}}: put it in the dictionaries and use t().",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const allow = new Set(options.allow ?? []);
    const callees = new Set(options.callees ?? []);

    const show = (text) => JSON.stringify(text.trim().length > 40 ? `${text.trim().slice(0, 40)}…` : text.trim());

    /** Reports literal words in an expression that ends up displayed. */
    function checkExpression(node, report) {
      if (!node) return;
      switch (node.type) {
        case "Literal":
          if (typeof node.value === "string" && isWords(node.value, allow)) report(node, node.value);
          break;
        case "TemplateLiteral": {
          const text = node.quasis.map((q) => q.value.cooked ?? "").join(" ");
          if (isWords(text, allow)) report(node, text);
          break;
        }
        case "ConditionalExpression":
          checkExpression(node.consequent, report);
          checkExpression(node.alternate, report);
          break;
        case "LogicalExpression":
          checkExpression(node.right, report);
          if (node.operator !== "&&") checkExpression(node.left, report);
          break;
        case "BinaryExpression":
          if (node.operator === "+") {
            checkExpression(node.left, report);
            checkExpression(node.right, report);
          }
          break;
        case "TSAsExpression":
        case "TSNonNullExpression":
        case "TSSatisfiesExpression":
          checkExpression(node.expression, report);
          break;
        default:
          break;
      }
    }

    const reportText = (node, text) => context.report({ node, messageId: "text", data: { text: show(text) } });
    const reportAttr = (name) => (node, text) => context.report({ node, messageId: "attr", data: { name, text: show(text) } });

    const propName = (prop) =>
      prop.type === "Property" && !prop.computed
        ? prop.key.type === "Identifier"
          ? prop.key.name
          : typeof prop.key.value === "string"
            ? prop.key.value
            : null
        : null;

    return {
      JSXText(node) {
        if (isWords(node.value, allow)) reportText(node, node.value);
      },
      JSXExpressionContainer(node) {
        const parent = node.parent;
        if (parent && (parent.type === "JSXElement" || parent.type === "JSXFragment")) {
          checkExpression(node.expression, reportText);
        }
      },
      JSXAttribute(node) {
        if (node.name.type !== "JSXIdentifier" || !VISIBLE_ATTRS.has(node.name.name) || !node.value) return;
        const report = reportAttr(node.name.name);
        if (node.value.type === "Literal") checkExpression(node.value, report);
        else if (node.value.type === "JSXExpressionContainer") checkExpression(node.value.expression, report);
      },
      CallExpression(node) {
        const callee = node.callee;
        // h(tag, props, ...children)
        if (callee.type === "Identifier" && callees.has(callee.name)) {
          const [, props, ...children] = node.arguments;
          for (const child of children) checkExpression(child, reportText);
          if (props && props.type === "ObjectExpression") {
            for (const prop of props.properties) {
              const name = propName(prop);
              if (name === "text") checkExpression(prop.value, reportText);
              if (name === "attrs" && prop.value.type === "ObjectExpression") {
                for (const attr of prop.value.properties) {
                  const attrName = propName(attr);
                  if (attrName && VISIBLE_ATTRS.has(attrName)) checkExpression(attr.value, reportAttr(attrName));
                }
              }
            }
          }
          return;
        }
        // el.setAttribute("aria-label", "…")
        if (
          callee.type === "MemberExpression" &&
          !callee.computed &&
          callee.property.type === "Identifier" &&
          callee.property.name === "setAttribute" &&
          node.arguments.length === 2 &&
          node.arguments[0].type === "Literal" &&
          VISIBLE_ATTRS.has(String(node.arguments[0].value))
        ) {
          checkExpression(node.arguments[1], reportAttr(String(node.arguments[0].value)));
        }
      },
      AssignmentExpression(node) {
        const target = node.left;
        if (
          node.operator === "=" &&
          target.type === "MemberExpression" &&
          !target.computed &&
          target.property.type === "Identifier" &&
          VISIBLE_PROPS.has(target.property.name)
        ) {
          checkExpression(node.right, reportText);
        }
      },
    };
  },
};

const plugin = {
  meta: { name: "eslint-plugin-local" },
  rules: { "no-literal-ui-string": noLiteralUiString },
};

export default plugin;
