import { problemsByField } from "../../src/webapp/lists/field-problems";
import { listMessages } from "../../src/webapp/lists/list-messages";
import type { FieldSpec } from "../../src/webapp/lists/record-fields";

type Probe = Record<string, unknown>;
const fields = [{ key: "emails" }, { key: "customFields.size" }] as FieldSpec<Probe>[];
const refusals: [string, string][] = [
  ["emails.1", "Invalid email address"],
  ["customFields.size", "Too big: expected number to be <=10"],
  ["unknown", "not a field"],
];

describe("a refused field's words", () => {
  it("are the contract's own in English, on the field the path names", () => {
    expect(problemsByField(fields, refusals, listMessages.en)).toEqual({
      emails: "Invalid email address",
      "customFields.size": "Too big: expected number to be <=10",
    });
  });

  it("say the value was refused in another language, the contract's English after", () => {
    expect(problemsByField(fields, refusals, listMessages.sv)).toEqual({
      emails: "Värdet godtas inte: Invalid email address",
      "customFields.size": "Värdet godtas inte: Too big: expected number to be <=10",
    });
    expect(problemsByField(fields, refusals, listMessages.hr).emails).toBe(
      "Vrijednost nije prihvaćena: Invalid email address",
    );
  });
});
