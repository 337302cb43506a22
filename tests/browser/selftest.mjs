// Every check in checks.mjs must be able to fail: each runs here on a small page built to
// break it (it must report a problem) and on one that does it right (it must report none).
// Run before the journeys, in the same browser.

import {
  axeProblems, colourAloneProblems, everyTabStopProblems, skipLinkProblems,
  errorSummaryProblems, reflowProblems, textResizeProblems,
} from "./checks.mjs";

const page = (body, head = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Fixture</title>` +
  `<style>body{font-size:1.125rem;font-family:sans-serif;margin:0}main{padding:1rem}a{color:#0b5394}` +
  `:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}.skip{position:absolute;top:-10rem}.skip:focus{top:.5rem}</style>` +
  `${head}</head><body>${body}</body></html>`;

const skip = `<a class="skip" href="#main">Skip to main content</a>`;
const goodForm = `${skip}<main id="main" tabindex="-1"><h1>Sign up</h1>
  <div id="error-summary" role="alert" tabindex="-1"><h2>There is a problem</h2>
  <ul><li><a href="#field-name">Enter a name.</a></li><li><a href="#field-when">Choose when.</a></li></ul></div>
  <label for="field-name">Name</label><p id="error-name">Enter a name.</p>
  <input id="field-name" aria-invalid="true" aria-describedby="error-name">
  <fieldset id="field-when" aria-describedby="error-when"><legend>When</legend><p id="error-when">Choose when.</p>
  <input type="radio" name="when" id="w1" aria-invalid="true"><label for="w1">Now</label></fieldset>
  <button>Send</button></main>`;

/// [name, check, broken page, right page]
const cases = [
  ["axe finds a missing alternative and low contrast", axeProblems,
    page(`<main><h1>Fixture</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb">Pale text</p></main>`),
    page(`<main><h1>Fixture</h1><img alt="A dot" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p>Dark text</p></main>`)],
  ["a link in text told apart by colour alone", colourAloneProblems,
    page(`<main><p>Read <a href="#g" style="text-decoration:none">the guide</a> first.</p></main>`),
    page(`<main><p>Read <a href="#g">the guide</a> first.</p><p><a href="#b" style="text-decoration:none" class="button">A button</a></p></main>`)],
  ["no focus indicator", (p) => everyTabStopProblems(p).then((r) => r.problems),
    page(`<main><a href="#a">A link</a> <button>A button</button></main>`, `<style>*:focus,*:focus-visible{outline:none}</style>`),
    page(`<main><a href="#a">A link</a> <button>A button</button> <input aria-label="Name"></main>`)],
  ["focus hidden under a fixed header", (p) => everyTabStopProblems(p).then((r) => r.problems),
    page(`<header style="position:fixed;top:0;left:0;right:0;height:6rem;background:#fff">Header</header><main><a href="#a">Under the header</a></main>`),
    page(`<header style="height:6rem">Header</header><main><a href="#a">Below the header</a></main>`)],
  ["focus stuck in a field", (p) => everyTabStopProblems(p).then((r) => r.problems),
    page(`<main><input aria-label="Trap" onkeydown="if (event.key === 'Tab') event.preventDefault()"><button>After</button></main>`),
    page(`<main><input aria-label="Free"><button>After</button></main>`)],
  ["no skip link first", skipLinkProblems,
    page(`<nav><a href="#x">Home</a></nav>${skip}<main id="main" tabindex="-1">Main</main>`),
    page(`${skip}<nav><a href="#x">Home</a></nav><main id="main" tabindex="-1">Main</main>`)],
  ["a skip link that does not move focus", skipLinkProblems,
    page(`${skip}<nav><a href="#x">Home</a></nav><main id="main">Main</main>`),
    page(`${skip}<nav><a href="#x">Home</a></nav><main id="main" tabindex="-1">Main</main>`)],
  ["errors not announced, linked or described", errorSummaryProblems,
    page(`<main><div id="error-summary"><h2>There is a problem</h2><ul><li>Enter a name.</li><li><a href="#name">Enter an email.</a></li></ul></div>
      <label for="field-name">Name</label><p>Enter a name.</p><input id="field-name"><input id="field-email" aria-label="Email"></main>`),
    page(goodForm)],
  ["a field with its error not marked invalid", errorSummaryProblems,
    page(goodForm.replace(` aria-invalid="true" aria-describedby="error-name"`, ` aria-describedby="error-name"`)),
    page(goodForm)],
  ["something wider than 320 px", reflowProblems,
    page(`<main><div style="width:30rem">Wide</div></main>`),
    page(`<main><div style="max-width:30rem">Narrow enough</div></main>`)],
  ["a select too narrow for its choice", reflowProblems,
    page(`<main><label for="s">Kind</label><select id="s" style="width:5rem"><option>Support hours for a whole week</option></select></main>`),
    page(`<main><label for="s">Kind</label><select id="s" style="width:100%"><option>Support hours</option></select></main>`)],
  ["text in fixed pixel sizes", textResizeProblems,
    page(`<main><p style="font-size:16px">Fixed size</p></main>`),
    page(`<main><p>Relative size</p></main>`)],
  ["a button that cuts off its text at 200%", textResizeProblems,
    page(`<main><p>Text</p><button style="font:inherit;width:160px;height:40px;overflow:hidden;white-space:nowrap">Save the digest settings</button></main>`),
    page(`<main><p>Text</p><button style="font:inherit;max-width:100%;padding:.5rem">Save the digest settings</button></main>`)],
  ["a row of fixed width at 200%", textResizeProblems,
    page(`<main><p>Text</p><div style="display:flex;width:38rem"><span>One</span></div></main>`),
    page(`<main><p>Text</p><div style="display:flex;flex-wrap:wrap;max-width:38rem"><span>One</span></div></main>`)],
];

/// Runs every case; returns the failures (a check that missed its broken page, or that
/// complained about the right one).
export async function selfTest(browser, log) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  const failures = [];
  for (const [name, check, broken, right] of cases) {
    await tab.setViewportSize({ width: 1280, height: 900 });
    await tab.setContent(broken);
    const caught = await check(tab);
    if (caught.length === 0) failures.push(`the check for "${name}" passed a page built to break it`);
    await tab.setViewportSize({ width: 1280, height: 900 });
    await tab.setContent(right);
    const wrong = await check(tab);
    if (wrong.length > 0) failures.push(`the check for "${name}" failed a page that does it right: ${wrong.join("; ")}`);
    if (caught.length > 0 && wrong.length === 0) log(`check works: ${name} (caught: ${caught[0].split("\n")[0].slice(0, 110)})`);
  }
  await context.close();
  return failures;
}
