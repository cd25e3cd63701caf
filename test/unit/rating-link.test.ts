import { randomBytes } from "node:crypto";
import { readAnswer } from "../../src/server/ratings/answer";
import { signLink, unverifiedOrgOf, verifyLink } from "../../src/server/ratings/link";
import { renderTemplate, surveyFieldsIn } from "../../src/shared/merge-fields";

const key = randomBytes(32);
const claims = {
  orgId: "0b5f6d3e-8f1a-4c2b-9d7e-1a2b3c4d5e6f",
  contactId: "7c000000-0000-4000-8000-000000000501",
  kind: "csat" as const,
  language: "hr" as const,
  issuedAt: new Date("2026-11-02T10:00:00Z"),
  expiresAt: new Date("2026-12-02T10:00:00Z"),
};
const during = new Date("2026-11-20T00:00:00Z");

describe("survey links", () => {
  it("reads back what it signed, with a random link id of its own for each link", () => {
    const one = signLink(key, claims);
    const two = signLink(key, claims);
    expect(one.token).toMatch(/^[A-Za-z0-9_-]{70}\.[A-Za-z0-9_-]{22}$/);
    expect(one.linkId).not.toBe(two.linkId);
    expect(verifyLink(key, one.token, during)).toEqual({
      kind: "ok",
      claims: { ...claims, linkId: one.linkId },
    });
    expect(unverifiedOrgOf(one.token)).toBe(claims.orgId);
  });

  it("is expired from the second its end is reached, with its claims (its page speaks the contact's language)", () => {
    const { token } = signLink(key, claims);
    expect(verifyLink(key, token, new Date(claims.expiresAt.getTime() - 1000)).kind).toBe("ok");
    const verdict = verifyLink(key, token, claims.expiresAt);
    expect(verdict.kind).toBe("expired");
    expect(verdict.kind === "expired" && verdict.claims.language).toBe("hr");
  });

  it("refuses a link with any one character changed, or signed with another key", () => {
    const { token } = signLink(key, claims);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let at = 0; at < token.length; at++) {
      if (token[at] === ".") continue;
      const other = alphabet[(alphabet.indexOf(token[at] as string) + 1) % alphabet.length] as string;
      const changed = token.slice(0, at) + other + token.slice(at + 1);
      // The last character of each part holds padding bits base64url decoding ignores: a change there that
      // decodes to the same bytes is the same token, and verifies as it.
      const same =
        Buffer.from(changed.split(".")[0] as string, "base64url").equals(
          Buffer.from(token.split(".")[0] as string, "base64url"),
        ) &&
        Buffer.from(changed.split(".")[1] as string, "base64url").equals(
          Buffer.from(token.split(".")[1] as string, "base64url"),
        );
      if (!same) expect([at, verifyLink(key, changed, during).kind]).toEqual([at, "forged"]);
    }
    expect(verifyLink(randomBytes(32), token, during)).toEqual({ kind: "forged" });
    for (const bad of ["", ".", token.slice(1), `${token}A`, token.replace(".", ""), `${token}\n`])
      expect(verifyLink(key, bad, during)).toEqual({ kind: "forged" });
    expect(unverifiedOrgOf("not a token")).toBeNull();
  });
});

describe("a survey answer as the page posts it", () => {
  it("takes a score on the question's scale only, and a comment without control characters", () => {
    expect(readAnswer("score=10&comment=Great+%0D%0Aservice%00", "nps")).toEqual({
      score: 10,
      comment: "Great \nservice",
    });
    expect(readAnswer("score=0", "nps")).toEqual({ score: 0, comment: null });
    for (const score of ["0", "6", "-1", "4.0", "04x", "", "١"])
      expect([score, readAnswer(`score=${encodeURIComponent(score)}`, "csat").score]).toEqual([score, null]);
    expect(readAnswer({ score: "5" }, "csat")).toEqual({ score: null, comment: null });
  });
});

describe("survey merge fields", () => {
  it("finds the survey fields a template names, outside tags only", () => {
    expect(
      surveyFieldsIn({ subject: "{{survey.nps}}", html: "<p>{{ survey.csat }} {{survey.nps}}</p>" }),
    ).toEqual(["nps", "csat"]);
    expect(surveyFieldsIn({ subject: "Hi", html: '<a title="{{survey.nps}}">x</a>' })).toEqual([]);
  });

  it("writes a survey link in the body as a link to itself, escaped, and in the subject as the address", () => {
    const url = "https://rapport.example/s/abc.def?x=1&y=2";
    const rendered = renderTemplate(
      { subject: "Rate us: {{survey.nps}}", html: "<p>{{survey.nps}}</p><p>{{contact.firstName}}</p>" },
      { "survey.nps": url, "contact.firstName": "https://not-a-link.example" },
    );
    expect(rendered.html).toBe(
      '<p><a href="https://rapport.example/s/abc.def?x=1&amp;y=2">https://rapport.example/s/abc.def?x=1&amp;y=2</a></p>' +
        "<p>https://not-a-link.example</p>",
    );
    expect(rendered.subject).toBe(`Rate us: ${url}`);
    // Only an address is ever a link: anything else is text.
    expect(
      renderTemplate({ subject: "", html: "{{survey.nps}}" }, { "survey.nps": "javascript:alert(1)" }).html,
    ).toBe("javascript:alert(1)");
  });
});
