import assert from "node:assert/strict";
import { colorInputValue, type FieldSpec, formSections, valuesFromForm } from "./settings_form.ts";

const FIELDS: FieldSpec[] = [
  { name: "headline", type: "string", section: "Page", required: true, max_length: 20 },
  { name: "intro", type: "text", label: "Intro", section: "Page" },
  { name: "ratings", type: "boolean", label: "Ratings" },
  { name: "per_row", type: "integer", min_value: 2, max_value: 6, section: "Page" },
  { name: "tax", type: "decimal", min_value: 0, max_value: 1 },
  {
    name: "columns",
    type: "integer",
    options: [{ display: "Two", value: 2 }, { display: "Three", value: 3 }],
  },
  { name: "logo", type: "image" },
  { name: "accent", type: "color", section: "Look" },
  { name: "shadow", type: "color", section: "Look" },
];

Deno.test("formSections() groups by section in first-seen order, General for the rest", () => {
  const sections = formSections("app", FIELDS, { accent: "#abc", shadow: "#00000080" });
  assert.deepEqual(sections.map((s) => s.title), ["Page", "General", "Look"]);
  assert.deepEqual(sections[0].controls.map((c) => [c.name, c.kind]), [
    ["app.headline", "text"],
    ["app.intro", "textarea"],
    ["app.per_row", "number"],
  ]);
  assert.deepEqual(sections[1].controls.map((c) => c.kind), [
    "checkbox",
    "number",
    "select",
    "url",
  ]);
  const [accent, shadow] = sections[2].controls;
  assert.deepEqual([accent.kind, accent.value], ["color", "#aabbcc"]);
  assert.deepEqual([shadow.kind, shadow.value], ["text", "#00000080"], "alpha kept as text");
  const [unset] = formSections("style", [FIELDS[7]], {})[0].controls;
  assert.deepEqual([unset.kind, unset.value, unset.placeholder], ["text", "", "#1a2b3c"]);
});

Deno.test("formSections() carries labels, limits and options", () => {
  const [page, general] = formSections("app", FIELDS, { per_row: 3 });
  const headline = page.controls[0];
  assert.equal(headline.label, "headline", "the name when no label");
  assert.equal(headline.required, true);
  assert.deepEqual(headline.limits, { maxlength: 20 });
  assert.deepEqual(page.controls[2].limits, { min: 2, max: 6, step: 1 });
  assert.equal(page.controls[2].value, "3");
  assert.deepEqual(general.controls[1].limits, { min: 0, max: 1, step: "any" });
  assert.deepEqual(general.controls[2].options, [
    { label: "Two", value: "2" },
    { label: "Three", value: "3" },
  ]);
});

Deno.test("valuesFromForm() types numbers, booleans and options; leaves bad text for the check", () => {
  const form = new FormData();
  form.set("app.headline", "Hi");
  form.set("app.intro", "");
  form.set("app.per_row", "4");
  form.set("app.tax", "lots");
  form.set("app.columns", "3");
  form.set("app.accent", "#112233");
  assert.deepEqual(valuesFromForm("app", FIELDS, form), {
    headline: "Hi",
    ratings: false,
    per_row: 4,
    tax: "lots",
    columns: 3,
    accent: "#112233",
  });
  form.set("app.ratings", "true");
  assert.equal(valuesFromForm("app", FIELDS, form).ratings, true);
});

Deno.test("colorInputValue() widens #abc and refuses what a picker cannot show", () => {
  assert.equal(colorInputValue("#ABC"), "#aabbcc");
  assert.equal(colorInputValue("#A1B2C3"), "#a1b2c3");
  assert.equal(colorInputValue("#a1b2c3d4"), null);
  assert.equal(colorInputValue("red"), null);
});
