import {
  EXCERPT_MAX_BYTES,
  EXCERPT_SOURCE_MAX_CHARS,
  htmlToText,
  textExcerpt,
} from "../../src/shared/text-excerpt";

const utf8 = new TextEncoder();
const bytes = (text: string): number => utf8.encode(text).length;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The text before the trailing ellipsis; fails the test when there is no ellipsis. */
function withoutEllipsis(excerpt: string): string {
  expect(excerpt.endsWith("…")).toBe(true);
  return excerpt.slice(0, -1);
}

describe("htmlToText", () => {
  it("reads a typical Outlook message as the lines the reader sees", () => {
    const html = [
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>',
      '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
      "<title>Offer</title>",
      "<style><!-- p.MsoNormal {margin:0cm; font-family:Calibri} --></style>",
      '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]-->',
      '</head><body lang=SV link="#0563C1">',
      "<div class=WordSection1>",
      "<p class=MsoNormal>Hi Anna,<o:p></o:p></p>",
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>",
      "<p class=MsoNormal>Thanks for the call &ndash; the offer is attached.<o:p></o:p></p>",
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>",
      "<p class=MsoNormal>Best regards,<br>Björn<o:p></o:p></p>",
      "</div></body></html>",
    ].join("\r\n");
    expect(htmlToText(html)).toBe(
      "Hi Anna,\n\nThanks for the call – the offer is attached.\n\nBest regards,\nBjörn",
    );
  });

  it("reads a typical Gmail message, where an empty <div><br></div> is one blank line", () => {
    const html =
      '<div dir="ltr"><div>Hej Anna,</div><div><br></div><div>Ses på fredag!</div><div><br></div>' +
      '<div>/Erik</div></div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">' +
      "On Mon, Anna Berg &lt;anna@contoso.com&gt; wrote:<br></div><blockquote>Hi</blockquote></div>";
    expect(htmlToText(html)).toBe(
      "Hej Anna,\n\nSes på fredag!\n\n/Erik\n\nOn Mon, Anna Berg <anna@contoso.com> wrote:\nHi",
    );
  });

  it("drops scripts, styles and the head entirely", () => {
    const html =
      "<head><title>Secret title</title><meta name=x content=y></head>" +
      "<style>.a { color: red }</style><p>Visible</p><script>alert('hidden')</script>" +
      '<SCRIPT type="text/javascript">var x = "<p>not text</p>";</SCRIPT>';
    expect(htmlToText(html)).toBe("Visible");
  });

  it("drops comments, including Outlook's conditional comments", () => {
    expect(
      htmlToText("<p>A<!-- internal note --></p><!--[if mso]><p>Outlook only</p><![endif]--><p>B</p>"),
    ).toBe("A\nB");
  });

  it("drops everything after a comment that is never closed", () => {
    expect(htmlToText("<p>Kept</p><!-- <p>never shown</p>")).toBe("Kept");
  });

  it("does not mistake <header> for <head>", () => {
    expect(htmlToText("<header>Welcome</header><p>Body</p>")).toBe("Welcome\nBody");
  });

  it("keeps the body when a head is never closed", () => {
    expect(htmlToText("<html><head><meta charset=utf-8><body><p>Hello</p></body>")).toBe("Hello");
  });

  it.each([["<br>"], ["<br/>"], ["<br />"], ["<BR>"], ["</br>"]])("breaks the line at %s", (br) => {
    expect(htmlToText(`Line one${br}Line two`)).toBe("Line one\nLine two");
  });

  it.each([["p"], ["div"], ["li"], ["h1"], ["h2"], ["h6"], ["tr"], ["blockquote"]])(
    "starts a new line after </%s>",
    (tag) => {
      expect(htmlToText(`<${tag}>First</${tag}>Second`)).toBe("First\nSecond");
    },
  );

  it("starts a new line at a paragraph whose end tag was left out", () => {
    expect(htmlToText("Hello<p>World")).toBe("Hello\nWorld");
  });

  it("does not double the line break when blocks are nested", () => {
    expect(htmlToText("<div><div><p>One</p></div></div><div><p>Two</p></div>")).toBe("One\nTwo");
  });

  it("keeps a line break from <br> at the end of a block single", () => {
    expect(htmlToText("<div>One<br></div><div>Two</div>")).toBe("One\nTwo");
  });

  it("reads lists one item per line", () => {
    expect(htmlToText("<p>Agenda:</p><ul><li>Pricing</li><li>Timeline</li></ul>")).toBe(
      "Agenda:\nPricing\nTimeline",
    );
  });

  it("reads a table one row per line with the cells apart", () => {
    const html =
      "<table><tr><td>Name</td><td>Anna Berg</td></tr><tr><th>Phone</th><td>+46 8 123</td></tr></table>";
    expect(htmlToText(html)).toBe("Name Anna Berg\nPhone +46 8 123");
  });

  it("keeps inline markup inside words and sentences", () => {
    expect(
      htmlToText('<p>Please <b>sign</b> the <a href="https://x.example/c?a=1&amp;b=2">contract</a>.</p>'),
    ).toBe("Please sign the contract.");
    expect(htmlToText("<span>Con</span><span>toso</span>")).toBe("Contoso");
  });

  it("leaves attribute values out of the text", () => {
    expect(htmlToText('<img src="cid:logo" alt="Contoso logo"><a title="tooltip" href="x">Link</a>')).toBe(
      "Link",
    );
  });

  it("reads line breaks in the HTML source as spaces, as a browser does", () => {
    expect(htmlToText("<p>Thanks for the\r\n  call\n\ttoday.</p>")).toBe("Thanks for the call today.");
  });

  it("keeps the line breaks of preformatted text", () => {
    expect(htmlToText("<pre>Order 1\nOrder 2\r\nOrder 3</pre><p>Done</p>")).toBe(
      "Order 1\nOrder 2\nOrder 3\nDone",
    );
  });

  it("collapses runs of spaces, tabs and non-breaking spaces", () => {
    expect(htmlToText("<p>A  \t B&nbsp;&nbsp;&nbsp;C\u00a0\u00a0D</p>")).toBe("A B C D");
  });

  it("allows at most one blank line in a row", () => {
    expect(htmlToText("<p>A</p><br><br><br><br><p>&nbsp;</p><p>&nbsp;</p><p>B</p>")).toBe("A\n\nB");
  });

  it("trims the text", () => {
    expect(htmlToText("  <br><p>&nbsp;</p> <div> Hello </div> <br><br> ")).toBe("Hello");
  });

  it.each([
    ["&amp;", "&"],
    ["&lt;", "<"],
    ["&gt;", ">"],
    ["&quot;", '"'],
    ["&apos;", "'"],
    ["&ndash;", "–"],
    ["&mdash;", "—"],
    ["&hellip;", "…"],
    ["&copy;", "©"],
    ["&euro;", "€"],
    ["&rsquo;", "’"],
    ["&auml;", "ä"],
    ["&Auml;", "Ä"],
    ["&ouml;", "ö"],
    ["&Ouml;", "Ö"],
    ["&uuml;", "ü"],
    ["&Uuml;", "Ü"],
    ["&aring;", "å"],
    ["&Aring;", "Å"],
    ["&oslash;", "ø"],
    ["&Oslash;", "Ø"],
    ["&aelig;", "æ"],
    ["&AElig;", "Æ"],
    ["&szlig;", "ß"],
    ["&scaron;", "š"],
    ["&Zcaron;", "Ž"],
    ["&cacute;", "ć"],
    ["&dstrok;", "đ"],
    ["&#229;", "å"],
    ["&#xE5;", "å"],
    ["&#XE5;", "å"],
    ["&#128512;", "😀"],
    ["&#x1F600;", "😀"],
    ["&#39", "'"],
  ])("decodes %s as %s", (entity, expected) => {
    expect(htmlToText(`<p>x${entity}y</p>`)).toBe(`x${expected}y`);
  });

  it("reads &#150; and its neighbours as Word and Outlook mean them", () => {
    expect(htmlToText("<p>9&#150;17 &#146;n&#146; &#128;5 &#147;ok&#148;</p>")).toBe("9–17 ’n’ €5 “ok”");
  });

  it.each([["&#0;"], ["&#xD800;"], ["&#xDFFF;"], ["&#x110000;"], ["&#99999999999999999999;"]])(
    "replaces the invalid code point %s with U+FFFD",
    (entity) => {
      expect(htmlToText(`<p>a${entity}b</p>`)).toBe("a\ufffdb");
    },
  );

  it("decodes only once, so escaped markup stays text", () => {
    expect(htmlToText("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;</p>")).toBe(
      "<script>alert(1)</script> &lt;",
    );
  });

  it("leaves unknown entities and bare ampersands as written", () => {
    expect(htmlToText("<p>AT&T &bogus; R&D; a & b</p>")).toBe("AT&T &bogus; R&D; a & b");
  });

  it("keeps a less-than sign that does not start a tag", () => {
    expect(htmlToText("<p>if a < b and 3 <4 then c > d</p>")).toBe("if a < b and 3 <4 then c > d");
  });

  it("drops a tag cut off at the end, so no markup leaks into the text", () => {
    expect(htmlToText('<p>Hello</p><img src="cid:image001.png@01DA')).toBe("Hello");
  });

  it("drops doctype and processing instructions", () => {
    expect(htmlToText('<!DOCTYPE html><?xml version="1.0"?><p>Hi</p>')).toBe("Hi");
  });

  it("removes control characters but keeps tabs as spacing", () => {
    expect(htmlToText("<p>a\u0000b\u0007c&#1;d\u009be\tf</p>")).toBe("abcde f");
  });

  it("returns an empty string for markup without text", () => {
    expect(htmlToText("<html><head><style>p{}</style></head><body><p>&nbsp;</p><br></body></html>")).toBe("");
    expect(htmlToText("")).toBe("");
  });

  // Speed belongs in the benchmark; here the promise is that hostile markup still yields plain text.
  it("reduces hostile markup to text without tags", () => {
    const hostile = [
      "<p>" + "<head>".repeat(100_000),
      "<p>" + "<a".repeat(500_000),
      "<p>" + "<!".repeat(500_000),
      "<p>" + "<script>".repeat(100_000),
      "<p>" + "&#".repeat(500_000),
    ];
    for (const html of hostile) expect(htmlToText(html)).not.toMatch(/<(p|head|script)>/);
  });
});

describe("textExcerpt", () => {
  it("limits excerpts to 8 KiB", () => {
    expect(EXCERPT_MAX_BYTES).toBe(8192);
  });

  it("keeps short plain text as it is", () => {
    const text = "Hi Anna,\n\nThanks for the call.\n\t– Björn 😀";
    expect(textExcerpt(text)).toBe(text);
  });

  it("turns CRLF and lone CR line endings into LF", () => {
    expect(textExcerpt("one\r\ntwo\rthree\nfour")).toBe("one\ntwo\nthree\nfour");
  });

  it("removes NUL and other control characters but keeps tabs and newlines", () => {
    expect(textExcerpt("a\u0000b\u0001c\u001bd\u007fe\tf\ng\u000bh\u000ci")).toBe("abcde\tf\nghi");
  });

  it("allows at most one blank line in a row", () => {
    expect(textExcerpt("a\n\n\nb\n\n\n\n\nc\r\n\r\n\r\nd")).toBe("a\n\nb\n\nc\n\nd");
  });

  it("counts lines with only spaces as blank", () => {
    expect(textExcerpt("a\n  \n\t\n \nb")).toBe("a\n\nb");
  });

  it("trims the text", () => {
    expect(textExcerpt("\n\n  Hello  \n\n")).toBe("Hello");
  });

  it("drops the spaces and tabs at the end of each line, and keeps a run of them inside one", () => {
    expect(textExcerpt("a \t \nb\t\nc")).toBe("a\nb\nc");
    expect(textExcerpt(`a${" \t".repeat(2000)}b`)).toBe(`a${" \t".repeat(2000)}b`);
  });

  it("reads only the first 256 KiB of a body, and marks what it did not read with …", () => {
    expect(EXCERPT_SOURCE_MAX_CHARS).toBe(262_144);
    expect(textExcerpt(`Hello Rita\n${"\n".repeat(300_000)}Anna`)).toBe("Hello Rita…");
    expect(textExcerpt(`Hello Rita${" ".repeat(999_980)}Anna`)).toBe("Hello Rita…");
    expect(textExcerpt(`<p>Hello <b>Rita</b></p>${"<div>".repeat(60_000)}<p>Anna</p>`)).toBe("Hello Rita…");
    // Never between the halves of a character.
    expect(textExcerpt(`Hello ${"\n".repeat(EXCERPT_SOURCE_MAX_CHARS - 7)}😀 Rita`)).toBe("Hello…");
    // A cut inside a word says so too.
    expect(textExcerpt(`Hello ${"a".repeat(300_000)}`, 20)).toBe("Hello…");
    expect(textExcerpt(`Hello\n${"\n".repeat(300_000)}`, 2)).toBe("He");
  });

  it("keeps a body of exactly 256 KiB whole", () => {
    const body = `Hello Rita${"\n".repeat(EXCERPT_SOURCE_MAX_CHARS - 14)}Anna`;
    expect(body.length).toBe(EXCERPT_SOURCE_MAX_CHARS);
    expect(textExcerpt(body)).toBe("Hello Rita\n\nAnna");
  });

  it("replaces broken UTF-16 in the input so the excerpt is always valid text", () => {
    expect(textExcerpt("a\ud83db\ude00c")).toBe("a\ufffdb\ufffdc");
  });

  it("never stores raw HTML: a full HTML mail becomes its text", () => {
    const html =
      "<html><head><style>p{margin:0}</style></head><body><p>Hi Anna,</p><p>See you&nbsp;soon.</p>" +
      "<script>track()</script></body></html>";
    expect(textExcerpt(html)).toBe("Hi Anna,\nSee you soon.");
  });

  it.each([
    ["<div>", "<div>Hello</div><div>World</div>"],
    ["<p>", "<p>Hello</p>World"],
    ["<p class>", '<p class="MsoNormal">Hello</p>World'],
    ["<br>", "Hello<br>World"],
    ["<table>", "<table><tr><td>Hello</td></tr></table>World"],
    ["<span>", "<span>Hello</span><br/>World"],
    ["<body>", "<body>Hello<br>World</body>"],
  ])("recognises HTML by %s", (_tag, html) => {
    expect(textExcerpt(html)).toBe("Hello\nWorld");
  });

  it("leaves plain text with angle brackets and entities alone", () => {
    const text = "On Mon, Anna Berg <anna@contoso.com> wrote:\n> Price < 100 &amp; delivery > 2 weeks";
    expect(textExcerpt(text)).toBe(text);
  });

  it("returns text of exactly the limit unchanged", () => {
    const text = "a".repeat(EXCERPT_MAX_BYTES);
    expect(textExcerpt(text)).toBe(text);
  });

  it("cuts text one byte over the limit and marks the cut with …", () => {
    const text = "a".repeat(EXCERPT_MAX_BYTES + 1);
    const excerpt = textExcerpt(text);
    expect(bytes(excerpt)).toBe(EXCERPT_MAX_BYTES);
    expect(withoutEllipsis(excerpt)).toBe("a".repeat(EXCERPT_MAX_BYTES - 3));
  });

  it("measures the limit in UTF-8 bytes, not characters", () => {
    const text = "å".repeat(5000);
    expect(text.length).toBeLessThan(EXCERPT_MAX_BYTES);
    const excerpt = textExcerpt(text);
    expect(bytes(excerpt)).toBeLessThanOrEqual(EXCERPT_MAX_BYTES);
    expect(withoutEllipsis(excerpt)).toBe("å".repeat(4094));
  });

  it("keeps a 1 MB message within 8192 bytes", () => {
    const paragraph = "Hej Anna, här kommer offerten för Q3 – priserna gäller till den 30 september. ";
    const text = paragraph.repeat(Math.ceil(1_048_576 / paragraph.length));
    expect(bytes(text)).toBeGreaterThan(1_048_576);
    const excerpt = textExcerpt(text);
    expect(bytes(excerpt)).toBeLessThanOrEqual(EXCERPT_MAX_BYTES);
    expect(bytes(excerpt)).toBeGreaterThan(EXCERPT_MAX_BYTES - 200);
    expect(text.startsWith(withoutEllipsis(excerpt))).toBe(true);
  });

  it("keeps a 1 MB HTML message within 8192 bytes and free of markup", () => {
    const row = '<tr><td class="x" style="color:#333">Ärende 4711</td><td>Öppen &amp; ny</td></tr>\r\n';
    const html = `<html><body><table>${row.repeat(Math.ceil(1_048_576 / row.length))}</table></body></html>`;
    const excerpt = textExcerpt(html);
    expect(bytes(excerpt)).toBeLessThanOrEqual(EXCERPT_MAX_BYTES);
    expect(excerpt).not.toMatch(/[<>]|&amp;|style/);
    expect(excerpt.startsWith("Ärende 4711 Öppen & ny\nÄrende 4711 Öppen & ny\n")).toBe(true);
  });

  it("cuts between words when there is a space near the limit", () => {
    const text = "lorem ipsum dolor sit amet ".repeat(1000);
    const kept = withoutEllipsis(textExcerpt(text));
    expect(text.startsWith(kept)).toBe(true);
    expect(text.charAt(kept.length)).toBe(" ");
    expect(kept).not.toMatch(/\s$/);
    expect(bytes(kept) + 3).toBeLessThanOrEqual(EXCERPT_MAX_BYTES);
  });

  it("cuts inside a word when the nearest space is more than 200 bytes back", () => {
    const text = `${"a".repeat(7900)} ${"b".repeat(400)}`;
    const excerpt = textExcerpt(text);
    expect(bytes(excerpt)).toBe(EXCERPT_MAX_BYTES);
    expect(withoutEllipsis(excerpt)).toBe(`${"a".repeat(7900)} ${"b".repeat(EXCERPT_MAX_BYTES - 3 - 7901)}`);
  });

  it("goes back to a space up to 200 bytes before the limit", () => {
    const text = `${"a".repeat(8000)} ${"b".repeat(400)}`;
    expect(withoutEllipsis(textExcerpt(text))).toBe("a".repeat(8000));
  });

  it("cuts a short limit at a word boundary", () => {
    expect(textExcerpt("Hello world", 8)).toBe("Hello…");
    expect(textExcerpt("Hello world", 10)).toBe("Hello…");
    expect(textExcerpt("Hello world", 11)).toBe("Hello world");
  });

  it("never splits an emoji, whatever bytes come before it", () => {
    for (let padding = 0; padding < 4; padding++) {
      const text = "a".repeat(padding) + "😀".repeat(5000);
      const excerpt = textExcerpt(text);
      expect(bytes(excerpt)).toBeLessThanOrEqual(EXCERPT_MAX_BYTES);
      expect(bytes(excerpt)).toBeGreaterThan(EXCERPT_MAX_BYTES - 4);
      expect(excerpt).not.toMatch(LONE_SURROGATE);
      expect(withoutEllipsis(excerpt)).toBe(
        "a".repeat(padding) + "😀".repeat((excerpt.length - 1 - padding) / 2),
      );
    }
  });

  it("never splits astral-plane characters such as CJK extension B", () => {
    const text = "𠀀𠀁𠀂".repeat(3000);
    const excerpt = textExcerpt(text, 1001);
    expect(bytes(excerpt)).toBeLessThanOrEqual(1001);
    expect(excerpt).not.toMatch(LONE_SURROGATE);
    expect(text.startsWith(withoutEllipsis(excerpt))).toBe(true);
    expect(withoutEllipsis(excerpt)).toHaveLength(2 * 249);
  });

  it("never splits a mixture of one- to four-byte characters", () => {
    const text = "aå€😀 ".repeat(3000);
    for (let limit = 20; limit < 60; limit++) {
      const excerpt = textExcerpt(text, limit);
      expect(bytes(excerpt)).toBeLessThanOrEqual(limit);
      expect(excerpt).not.toMatch(LONE_SURROGATE);
      expect(text.startsWith(withoutEllipsis(excerpt))).toBe(true);
    }
  });

  it("never splits a flag into two letters", () => {
    const text = "🇸🇪🇳🇴🇭🇷".repeat(1000);
    const kept = withoutEllipsis(textExcerpt(text));
    expect(kept.length % 4).toBe(0);
    expect(text.startsWith(kept)).toBe(true);
  });

  it("never splits an emoji joined from several people", () => {
    const family = "👩‍👩‍👧";
    const kept = withoutEllipsis(textExcerpt(family.repeat(1000)));
    expect(kept.length % family.length).toBe(0);
    expect(kept.length).toBeGreaterThan(0);
  });

  it("returns only the ellipsis when not even one character fits before it", () => {
    expect(textExcerpt("😀😀", 5)).toBe("…");
  });

  it("leaves the ellipsis out when the limit is too small for it", () => {
    expect(textExcerpt("Hello", 2)).toBe("He");
    expect(textExcerpt("Hello", 0)).toBe("");
  });

  it("refuses a negative or missing limit", () => {
    expect(() => textExcerpt("Hello", -1)).toThrow(RangeError);
    expect(() => textExcerpt("Hello", Number.NaN)).toThrow(RangeError);
  });

  it("returns an empty excerpt for empty or blank input", () => {
    expect(textExcerpt("")).toBe("");
    expect(textExcerpt(" \r\n\t\u0000 ")).toBe("");
  });
});
