import assert from "node:assert/strict";
import { test } from "node:test";
import { codeBlock } from "../../../src/core/markdown/code-block.js";
import { codeSpan } from "../../../src/core/markdown/code-span.js";
import { htmlText } from "../../../src/core/markdown/html-text.js";
import { markdownText } from "../../../src/core/markdown/markdown-text.js";
import { tableCell } from "../../../src/core/markdown/table-cell.js";
import { renderMarkdown } from "../../support/render-markdown.js";

// Each escaper is checked as GitHub's Markdown renders its output, not by the characters it writes.
const hostile = [
  "plain",
  "@acme/security-team and @mona",
  "[x](http://e) ![i](http://e/i.png) <http://e> http://e www.e.com a@b.com #12 acme/shop#3",
  "<img src=x onerror=alert(1)> <script>x</script> &lt;b&gt; <!-- c -->",
  "**bold** _em_ ~~del~~ `code` ``two`` ```",
  "line one\nline two\r\n\n# heading\n- item\n| a | b |",
  "pipe | and \\| and \\\\| end",
  "\u202eevil\u2066 tab\there \u0000",
  "`",
  " ` lead and trail ` ",
  "",
];
const visible = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/\u200b/g, "");
// eslint-disable-next-line no-control-regex -- control characters are what the test puts on one line
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u202e\u2066]/g, " ");

test("markdownText: shows the text itself, on one line, with no element, link or mention", () => {
  for (const text of hostile) {
    const html = renderMarkdown(markdownText(text));
    assert.match(html, /^(<p>[^\n]*<\/p>\n?)?$/, `one paragraph for ${JSON.stringify(text)}: ${html}`);
    assert.doesNotMatch(html, /<(?!\/?p>)/, `no element for ${JSON.stringify(text)}: ${html}`);
    assert.doesNotMatch(html, /@[A-Za-z]|:\/\/|www\.|#[0-9]/, `no mention or link for ${JSON.stringify(text)}: ${html}`);
    assert.equal(visible(html), oneLine(text).trim(), `reads as written: ${JSON.stringify(text)}`);
  }
});

test("codeSpan: one code element holding the text as written, whatever backticks it has", () => {
  for (const text of hostile) {
    const html = renderMarkdown(`x ${codeSpan(text)} y`);
    assert.match(html, /^<p>x <code>[^<]*<\/code> y<\/p>\n?$/, `one code span for ${JSON.stringify(text)}: ${html}`);
    const inner = visible(/<code>([^<]*)<\/code>/.exec(html)![1]);
    assert.equal(inner, oneLine(text) || " ", `reads as written: ${JSON.stringify(text)}`);
    assert.doesNotMatch(/<code>([^<]*)<\/code>/.exec(html)![1], /@[A-Za-z]/, "no mention even outside code");
  }
  assert.equal(codeSpan("a``b"), "```a``b```");
  assert.equal(codeSpan("`x"), "`` `x ``");
});

test("tableCell: a cell of text or code never splits or ends its row", () => {
  for (const text of hostile) {
    for (const cell of [markdownText(text), codeSpan(text), `${codeSpan(text)} by ${markdownText(text)}`]) {
      const html = renderMarkdown(`| a | b |\n| --- | --- |\n| ${tableCell(cell)} | end |\n`);
      assert.equal(html.match(/<td>/g)?.length, 2, `two cells for ${JSON.stringify(text)}: ${html}`);
      assert.match(html, /<td>end<\/td>/);
    }
  }
});

test("codeBlock: nothing in it closes the fence", () => {
  for (const content of ["```\n# out", "````````\n<img src=x>", "~~~\n@acme/team", "plain"]) {
    const html = renderMarkdown(`${codeBlock(content, "diff")}\n\nafter`);
    assert.match(html, /^<pre><code class="language-diff">[\s\S]*<\/code><\/pre>\n<p>after<\/p>\n?$/, html);
    assert.equal(html.match(/<pre>/g)?.length, 1);
  }
});

test("htmlText: text inside an HTML element stays text, on one line", () => {
  const html = renderMarkdown(`<details><summary><code>${htmlText('</code></summary>\n\n# x <img src=x> & "q"')}</code></summary>\n\nbody\n\n</details>\n`);
  assert.doesNotMatch(html, /<img|<h1/);
  assert.equal(html.match(/<\/summary>/g)?.length, 1);
});
