import { CompanyCreate } from "../../src/shared/companies";
import { ContactCreate } from "../../src/shared/contacts";
import { CustomFields } from "../../src/shared/custom-fields";
import {
  FORM_FIELD_MAX_CHARS,
  cleanFormText,
  formFieldMaxChars,
  isMultilineFormField,
} from "../../src/shared/web-forms";

/** Whether the contacts' or companies' own contract takes a value of this many characters in the field. */
function contractTakes(target: keyof typeof FORM_FIELD_MAX_CHARS, length: number): boolean {
  const [entity, field] = target.split(".") as ["contact" | "company", string];
  if (field === "email") {
    const local = "a".repeat(Math.max(1, length - "@x.example".length));
    return ContactCreate.safeParse({ displayName: "A", emails: [`${local}@x.example`] }).success;
  }
  const value = "a".repeat(length);
  return entity === "contact"
    ? ContactCreate.safeParse({ displayName: field === "displayName" ? value : "A", [field]: value }).success
    : CompanyCreate.safeParse({ name: field === "name" ? value : "A", [field]: value }).success;
}

describe("a web form's field limits", () => {
  it.each(
    Object.entries(FORM_FIELD_MAX_CHARS).filter(([target]) => target !== "contact.email") as [
      keyof typeof FORM_FIELD_MAX_CHARS,
      number,
    ][],
  )("takes in %s what the API takes, and no more (%i)", (target, max) => {
    expect([contractTakes(target, max), contractTakes(target, max + 1)]).toEqual([true, false]);
  });

  it("takes a custom text as long as a custom field holds", () => {
    const max = formFieldMaxChars("contact.custom.notes", "text") as number;
    expect(CustomFields.safeParse({ notes: "a".repeat(max) }).success).toBe(true);
    expect(CustomFields.safeParse({ notes: "a".repeat(max + 1) }).success).toBe(false);
  });
});

describe("a submitted value made fit to keep", () => {
  it("takes out bidi overrides, isolates and marks, and controls", () => {
    expect(cleanFormText("\u202Eanna\u202C \u2066Berg\u2069\u200F\u0007\u0000\u009B", false)).toBe(
      "anna Berg",
    );
  });

  it("makes one line of a name, and keeps a text box's lines", () => {
    expect(cleanFormText("Bidi\r\nAB\tLtd", false)).toBe("Bidi AB Ltd");
    expect(cleanFormText("Storgatan 1\r\n111 22\rStockholm\u2028Sweden", true)).toBe(
      "Storgatan 1\n111 22\nStockholm\nSweden",
    );
    expect([
      isMultilineFormField("company.address"),
      isMultilineFormField("contact.custom.x", "text"),
    ]).toEqual([true, true]);
  });

  it("keeps letters of every script, joiners included", () => {
    const persian = "می\u200Cخواهم";
    expect(cleanFormText(`Čokolada Straße ${persian} 👩\u200D💻`, false)).toBe(
      `Čokolada Straße ${persian} 👩\u200D💻`,
    );
  });
});
