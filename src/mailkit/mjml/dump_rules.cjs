// Dump MJML's own validation rules as JSON: run by `mailkit check --refresh-mjml`
// (src/mailkit/mjml/refresh.py) with the folder of an npm install of `mjml`.
// Usage: node dump_rules.cjs <node_modules>
"use strict";
const path = require("path");
const modules = process.argv[2];
const load = (name) => require(path.join(modules, name));

const mjml = load("mjml");  // registers the core preset: components and dependencies
const core = load("mjml-core");
const validator = load("mjml-validator");
const colors = load("mjml-core/lib/types/helpers/colors.js");
const version = require(path.join(modules, "mjml", "package.json")).version;
void mjml;

const components = {};
for (const [tag, Component] of Object.entries(core.components).sort()) {
  components[tag] = {
    attributes: Object.fromEntries(Object.entries(Component.allowedAttributes || {}).sort()),
    ending_tag: Boolean(Component.endingTag),
    raw: Boolean(Component.rawElement),
  };
}
const dependencies = {};
for (const [tag, children] of Object.entries(validator.dependencies).sort()) {
  dependencies[tag] = children.map((c) => (c instanceof RegExp ? { regex: c.source } : c));
}
process.stdout.write(JSON.stringify({
  package: "mjml", version,
  // from mjml-validator/lib/rules: always allowed, and elements that have no component
  global_attributes: ["mj-class", "css-class"],
  componentless_tags: ["mj-all", "mj-class", "mj-selector", "mj-html-attribute"],
  skip_elements: ["mjml"],
  colors,
  components, dependencies,
}, null, 1) + "\n");
