// Mutual's main journeys in a real browser (Debian's Chromium, driven by playwright-core),
// with the checks in checks.mjs on every page visited: axe-core (WCAG 2.0/2.1/2.2 A and
// AA rules) and links told apart by more than colour on every page state; keyboard-only
// sign-up, log-in and publishing; the skip link; a visible, unobscured focus indicator on
// every tab stop of the main forms; errors announced and linked to their fields; reflow at
// 320 CSS px; text at 200%; screenshots at desktop and phone widths. Before the journeys,
// selftest.mjs shows that each check still catches what it is named after.
//
// Run by tests/browser.rs, which starts the server and prepares what the journeys need.
// Environment:
//   MUTUAL_URL          the server, e.g. http://127.0.0.1:PORT
//   MUTUAL_OUTBOX       the folder the server writes e-mails to (.eml files)
//   MUTUAL_PASSWORD     the password of the prepared accounts
//   MUTUAL_UNSUBSCRIBE  an unsubscribe link for the prepared editor (kopu_editor)
//   MUTUAL_ADMIN        the username of a prepared administrator
//   ARTIFACTS           where screenshots go (default ../../test-artifacts/screenshots)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   BROWSER_TIMEOUT_SECS  give up after this long (default 240)
// Prints one line per step; on the first failure prints "FAILED: …" and exits 1. The last
// line is "PASSED: …" when everything passed.

import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

import {
  axeProblems, colourAloneProblems, everyTabStopProblems, skipLinkProblems,
  errorSummaryProblems, reflowProblems, textResizeProblems,
} from "./checks.mjs";
import { selfTest } from "./selftest.mjs";

const base = process.env.MUTUAL_URL;
const outbox = process.env.MUTUAL_OUTBOX;
const password = process.env.MUTUAL_PASSWORD;
const unsubscribeUrl = process.env.MUTUAL_UNSUBSCRIBE;
const admin = process.env.MUTUAL_ADMIN;
const artifacts = process.env.ARTIFACTS ||
  path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../test-artifacts/screenshots");
if (!base || !outbox || !password || !unsubscribeUrl || !admin) {
  console.error("MUTUAL_URL, MUTUAL_OUTBOX, MUTUAL_PASSWORD, MUTUAL_UNSUBSCRIBE and MUTUAL_ADMIN are needed");
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });

const audited = new Set();
const pageErrors = [];
const captured = new Set();
let steps = 0;

function step(text) {
  steps += 1;
  console.log(`ok ${steps} ${text}`);
}

function fail(text) {
  throw new Error(text);
}

function expect(condition, text) {
  if (!condition) fail(text);
}

function noProblems(problems, what) {
  if (problems.length > 0) fail(`${what}:\n  ${problems.join("\n  ")}`);
}

/// axe-core and the use-of-colour check on the page as it is now; any problem fails the run.
async function audit(page, name) {
  noProblems(pageErrors.splice(0), "the page's script failed");
  if (audited.has(name)) return;
  audited.add(name);
  noProblems(await axeProblems(page), `axe found violations on ${name} (${page.url()})`);
  noProblems(await colourAloneProblems(page), `links told apart by colour alone on ${name} (${page.url()})`);
  step(`axe (WCAG 2.2 A/AA) and use of colour: no problems on ${name}`);
}

/// A full-page PNG at desktop and phone widths, then reflow at 320 px and text at 200%.
async function capture(page, title) {
  const name = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  expect(!captured.has(name), `two screenshots named ${name}`);
  captured.add(name);
  const original = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(artifacts, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: path.join(artifacts, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(original);
  noProblems(await reflowProblems(page), `${title}: reflow at 320 px (WCAG 1.4.10)`);
  noProblems(await textResizeProblems(page), `${title}: text at 200% (WCAG 1.4.4)`);
  step(`screenshots, reflow at 320 px and text at 200%: ${title}`);
}

/// Every tab stop on the page shows a focus indicator and is not hidden (WCAG 2.4.7, 2.4.11).
async function tabStops(page, name) {
  const { problems, stops } = await everyTabStopProblems(page);
  noProblems(problems, `focus on ${name}`);
  step(`all ${stops} tab stops on ${name} show a focus ring and are not hidden`);
}

async function visit(page, url, name, { screenshot = true, status = 200 } = {}) {
  const response = await page.goto(new URL(url, base).toString());
  expect(response && response.status() === status, `${name}: ${url} answered ${response && response.status()}, not ${status}`);
  await audit(page, name);
  if (screenshot) await capture(page, name);
}

/// After a form post or a link: the page must have loaded, then it is audited.
async function landed(page, name, { screenshot = false } = {}) {
  await page.waitForLoadState("load");
  await audit(page, name);
  if (screenshot) await capture(page, name);
}

async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

async function submit(page, formSelector = "main form") {
  await clickAndWait(page, page.locator(`${formSelector} button[type=submit]`).last());
}

/// The search form's own button (not "Save this search", which sits inside it but posts
/// another form).
async function submitSearch(page) {
  await clickAndWait(page, page.locator("form[action='/search'] button[type=submit]:not([form])").first());
}

async function mainText(page) {
  return (await page.textContent("main")).replace(/\s+/g, " ");
}

/// The newest e-mail in the outbox that holds `needle`, as text (quoted-printable undone).
function newestMail(needle) {
  const files = fs.readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => ({ f, t: fs.statSync(path.join(outbox, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files) {
    const raw = fs.readFileSync(path.join(outbox, f), "utf8")
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    if (raw.includes(needle)) return raw;
  }
  return null;
}

async function waitForMail(needle) {
  for (let i = 0; i < 100; i++) {
    const mail = newestMail(needle);
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`no e-mail containing ${needle} arrived in ${outbox}`);
}

/// The error summary on a form sent with mistakes (see errorSummaryProblems); returns the
/// fields it links to. `keyboard`: the journey goes on from the keyboard, so the check must
/// not move focus.
async function formErrors(page, what, { keyboard = false } = {}) {
  noProblems(await errorSummaryProblems(page, { followLink: !keyboard }), `${what} errors`);
  return page.evaluate(() => [...document.querySelectorAll("#error-summary a")].map((a) => a.getAttribute("href")));
}

// --- The keyboard alone: Tab, Shift+Tab, Enter, Space and typing; no clicks. -------------

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {
      tag: el.tagName, name: el.getAttribute("name"), id: el.id, cls: String(el.className),
      type: el.getAttribute("type"), inMain: !!el.closest("main"), value: el.value,
      checked: !!el.checked, text: (el.textContent || "").trim().slice(0, 40),
      formAction: (el.form && el.form.getAttribute("action")) || "",
    };
  });
}

/// Presses Tab (or Shift+Tab) until the focused element matches; fails after `limit` presses.
async function tabTo(page, test, what, { back = false, limit = 80 } = {}) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const el = await focused(page);
    if (el && test(el)) return el;
  }
  fail(`${back ? "Shift+Tab" : "Tab"} never reached ${what} (on ${page.url()})`);
}

/// Tabs to the field named `name` and types `value` into it, first deleting what it held
/// with Backspace (Tab selects a text field's content).
async function typeInto(page, name, value) {
  const el = await tabTo(page, (e) => e.name === name, `the ${name} field`);
  if (el.value) {
    for (let i = 0; i < el.value.length && (await focused(page)).value; i++) await page.keyboard.press("Backspace");
    expect((await focused(page)).value === "", `the ${name} field could not be emptied from the keyboard`);
  }
  await page.keyboard.type(value);
  const now = await focused(page);
  expect(now.value === value, `typed "${value}" into ${name} but it holds "${now.value}"`);
}

/// On a page just loaded: Tab, then Enter on the skip link; focus is in <main>, ready for
/// the page's own controls.
async function skipToMain(page) {
  noProblems(await skipLinkProblems(page, { fresh: true }), `the skip link on ${page.url()}`);
}

/// Enter on the focused control, then wait for the page it leads to.
async function pressEnterAndWait(page) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await page.waitForLoadState("load");
}

const isMainSubmit = (e) => e.tag === "BUTTON" && e.type === "submit" && e.inMain;

// ---------------------------------------------------------------------------------------

async function keyboardSignUp(page) {
  await visit(page, "/signup", "sign-up");
  await skipToMain(page);
  step("the skip link is the first Tab stop, shows when focused and moves focus to main");
  await tabStops(page, "sign-up");

  // An empty form, sent from the keyboard: errors announced, summarised and linked.
  await page.reload();
  await tabTo(page, isMainSubmit, "the sign-up button");
  await pressEnterAndWait(page);
  await landed(page, "sign-up with errors", { screenshot: true });
  const summaryFocused = await page.evaluate(() => document.activeElement.id === "error-summary");
  expect(summaryFocused, "after a failed sign-up the error summary has focus");
  // Tab from the summary reaches its first link; Enter on it moves focus to the field.
  const link = await tabTo(page, (e) => e.tag === "A", "the first error link", { limit: 1 });
  expect(link.text.length > 0, "the first error link has text");
  await page.keyboard.press("Enter");
  const field = await focused(page);
  expect(field && field.name === "username", `Enter on the first error link moved focus to ${JSON.stringify(field)}, not the username field`);
  await formErrors(page, "sign-up", { keyboard: true });
  step("an empty sign-up: errors announced, summarised, linked to their fields and described by them");

  // Now the real thing, from the keyboard alone, starting at the username field.
  await page.keyboard.press("Shift+Tab"); // typeInto tabs forward into the field
  await typeInto(page, "username", "rosa");
  await typeInto(page, "email", "rosa@example.org");
  await typeInto(page, "display_name", "Rosa Example");
  await typeInto(page, "password", password);
  // Shift+Tab goes back the way it came.
  const back = await tabTo(page, () => true, "the field before the password", { back: true, limit: 1 });
  expect(back.name === "display_name", `Shift+Tab from the password went to ${JSON.stringify(back)}`);
  await tabTo(page, isMainSubmit, "the sign-up button");
  await pressEnterAndWait(page);
  await landed(page, "signed up", { screenshot: true });
  expect(!(await page.locator("#error-summary").count()), `the sign-up was refused: ${await mainText(page)}`);
  step("signed up with the keyboard only");

  // Confirm the address from the e-mail.
  const mail = await waitForMail("rosa@example.org");
  const confirm = mail.match(/https?:\/\/[^\s"<>]*\/confirm-email\/[A-Za-z0-9_.~-]+/);
  expect(confirm, "the confirmation mail holds a /confirm-email/ link");
  await visit(page, confirm[0], "e-mail confirmed", { screenshot: false });
  step("confirmed the address from the e-mail's link");

  // Log in from the keyboard: a wrong password first.
  await visit(page, "/login", "log-in");
  await typeInto(page, "login", "rosa");
  await typeInto(page, "password", "not the password");
  await page.keyboard.press("Enter");
  await page.waitForLoadState("load");
  await page.waitForSelector("#error-summary");
  await landed(page, "log-in refused", { screenshot: true });
  await formErrors(page, "log-in", { keyboard: true });
  // From the summary, which has focus, Tab on to the fields again.
  await typeInto(page, "login", "rosa");
  await typeInto(page, "password", password);
  await pressEnterAndWait(page);
  expect(!new URL(page.url()).pathname.startsWith("/login"), `log-in by keyboard failed: still on ${page.url()}`);
  expect(await page.locator("header form[action='/logout']").count() === 1, "after log-in the header offers log-out");
  await landed(page, "home, logged in");
  step("a wrong password is announced and linked; then logged in with the keyboard only");
}

async function organisationJourney(page) {
  await visit(page, "/organisations/new", "organisation-new");
  await submit(page);
  await landed(page, "organisation form with errors");
  const orgErrors = await formErrors(page, "organisation form");
  step(`an empty organisation form: errors announced and linked (${orgErrors.join(" ")})`);

  await page.fill("[name=handle]", "rosas-circle");
  await page.fill("[name=name]", "Rosa's Circle");
  await page.fill("[name=summary]", "A small provider that shares what it learns.");
  await page.selectOption("[name=country]", "FI");
  await page.fill("[name=languages]", "fi, en");
  await page.selectOption("[name=kind]", "provider");
  await page.locator("[name=offers_to_share]").first().check();
  await submit(page);
  await landed(page, "organisation", { screenshot: true });
  expect((await page.textContent("h1")).includes("Rosa's Circle"), `the organisation page shows its name (at ${page.url()})`);
  step("created an organisation");

  await clickAndWait(page, page.locator("main a[href$='/edit']"));
  await landed(page, "organisation-edit", { screenshot: true });
  await page.fill("[name=summary]", "A small provider in Tampere that shares what it learns.");
  await submit(page);
  await landed(page, "organisation after edit");
  expect((await mainText(page)).includes("in Tampere"), "the edit shows on the organisation page");
  step("edited the organisation");
}

/// Written and published with the keyboard alone: Tab to each field, type, Space to tick,
/// Enter to send. The empty form first, to see the content form's errors.
async function publishGuide(page) {
  await visit(page, "/organisations/rosas-circle/guides/new", "guide-new");
  await tabStops(page, "the guide form");
  await page.reload();
  await skipToMain(page);
  await tabTo(page, isMainSubmit, "the save button");
  await pressEnterAndWait(page);
  await landed(page, "guide form with errors");
  const guideErrors = await formErrors(page, "guide form", { keyboard: true });
  step(`an empty guide: errors announced and linked (${guideErrors.join(" ")})`);

  // From the error summary, which has focus, Tab on to each field.
  expect(await page.evaluate(() => document.activeElement.id === "error-summary"), "the guide's error summary has focus");
  await typeInto(page, "title", "Matching staff by shared interests");
  await typeInto(page, "summary", "How we let people choose who supports them.");
  await typeInto(page, "body", "We ask each person what they love doing.\n\nThen we recruit people who love it too.");
  await typeInto(page, "lang", "en");
  const box = await tabTo(page, (e) => e.name === "topics" && e.value === "personnel", "the Personnel topic");
  expect(!box.checked, "the Personnel topic starts unticked");
  await page.keyboard.press("Space");
  expect((await focused(page)).checked, "Space ticks the Personnel topic");
  await tabTo(page, isMainSubmit, "the save button");
  await pressEnterAndWait(page);
  await landed(page, "guide draft", { screenshot: true });
  expect(await page.locator("main form[action$='/publish'] button").count() === 1, `the draft guide offers Publish (at ${page.url()}): ${(await mainText(page)).slice(0, 300)}`);

  await skipToMain(page);
  await tabTo(page, (e) => e.tag === "BUTTON" && e.formAction.endsWith("/publish"), "the Publish button");
  await pressEnterAndWait(page);
  await landed(page, "guide published", { screenshot: true });
  const text = await mainText(page);
  expect(text.includes("Matching staff by shared interests"), "the published guide shows its title");
  expect(text.includes("Personnel"), "the published guide shows the topic ticked with Space");
  expect(await page.locator("main form[action$='/publish'] button").count() === 0, "once published, Publish is gone");
  step("wrote and published a practice guide with the keyboard only");
}

/// A second version of the guide, then its versions and the difference between them.
async function reviseGuide(page) {
  const guide = page.url();
  await clickAndWait(page, page.locator("main a[href$='/edit']").first());
  await landed(page, "guide edit form");
  await page.fill("[name=body]", "We ask each person what they love doing.\n\nThen we recruit people who love it too, and introduce them over coffee.");
  await page.fill("[name=note]", "Added how we introduce people.");
  await submit(page);
  await landed(page, "guide after edit");
  const publish = page.locator("main form[action$='/publish'] button");
  if (await publish.count()) await clickAndWait(page, publish);
  await visit(page, `${new URL(guide).pathname}/revisions`, "guide versions");
  expect((await mainText(page)).includes("Added how we introduce people."), "the versions page shows the change note");
  await page.locator("main input[name=from][value='1']").check();
  await page.locator("main input[name=to][value='2']").check();
  await submit(page, "main form[action$='/diff']");
  await landed(page, "guide differences", { screenshot: true });
  expect((await page.locator("main ins").count()) > 0, "the comparison marks the added words");
  await page.goto(guide);
  step("edited the published guide; saw its versions and what changed");
}

/// An easy-read version of the guide: started from the guide's page, published, then linked
/// from the original.
async function easyReadVersion(page) {
  const guide = page.url();
  const start = page.locator("form[action$='/version'] button", { hasText: /easy-read/i });
  expect(await start.count() === 1, "the published guide offers an easy-read version");
  await clickAndWait(page, start);
  await landed(page, "easy-read version, edit form");
  await page.fill("[name=title]", "Matching staff: easy read");
  await page.fill("[name=body]", "We ask you what you like.\n\nWe find staff who like it too.");
  await submit(page);
  await landed(page, "easy-read draft");
  await clickAndWait(page, page.locator("main form[action$='/publish'] button"));
  await landed(page, "easy-read version", { screenshot: true });
  expect((await mainText(page)).includes("This is the easy-read version of"), "the version links back to the original");
  await visit(page, guide, "guide with its easy-read version", { screenshot: false });
  const link = page.locator("main a", { hasText: "Easy read version" });
  expect(await link.count() === 1, "the original links to its easy-read version");
  step("wrote and published an easy-read version, linked both ways");
}

async function publishIsfTemplate(page) {
  await visit(page, "/organisations/rosas-circle/isf-templates/new", "isf-new");
  await submit(page);
  await landed(page, "isf form with errors");
  const isfErrors = await formErrors(page, "ISF template form");
  step(`an empty ISF template: errors announced and linked (${isfErrors.join(" ")})`);
  await page.fill("[name=title]", "Weekly ISF for support at home");
  await page.fill("[name=summary]", "Day support and a contingency.");
  await page.fill("[name=lang]", "en");
  await page.locator("[name=topics][value=financial-management]").check();
  await page.selectOption("[name=isf_country]", "FI");
  await page.fill("[name=currency]", "EUR");
  await page.locator("[name=line_description]").nth(0).fill("Day support");
  await page.locator("[name=line_rate]").nth(0).fill("32.50");
  await page.locator("[name=line_quantity]").nth(0).fill("20");
  const fee = page.locator("[name=fee_value]");
  if (await fee.count()) await fee.fill("10");
  await submit(page);
  await landed(page, "isf draft", { screenshot: true });
  const publish = page.locator("main form[action$='/publish'] button");
  expect(await publish.count() === 1, `the draft ISF template offers Publish (at ${page.url()}): ${(await mainText(page)).slice(0, 600)}`);
  await clickAndWait(page, publish);
  await landed(page, "isf published", { screenshot: true });
  expect((await mainText(page)).includes("Day support"), "the published ISF template shows its budget line");
  const printable = page.locator("main a[href$='/print']");
  expect(await printable.count() === 1, "the ISF template links to its printable page");
  await clickAndWait(page, printable);
  await landed(page, "isf printable page");
  await page.goBack();
  step("wrote and published an ISF template; opened its printable page");
}

/// A story needs consent and a second person's approval: the prepared team of "kopu".
/// Returns the story's path.
async function publishStory(browser) {
  const editorContext = await browser.newContext({ locale: "en-GB" });
  const editor = await editorContext.newPage();
  await logIn(editor, "kopu_editor");
  await visit(editor, "/organisations/kopu/stories/new", "story-new");
  await submit(editor);
  await landed(editor, "story form with errors");
  const storyErrors = await formErrors(editor, "story form");
  expect(storyErrors.includes("#field-voice"), `an empty story's errors include the group of choices "who tells it": ${storyErrors}`);
  step(`an empty story: errors announced and linked, a group of choices too (${storyErrors.join(" ")})`);

  await editor.fill("[name=title]", "A flat of her own");
  await editor.fill("[name=summary]", "Moving out of a care home.");
  await editor.fill("[name=lang]", "en");
  await editor.fill("[name=pseudonym]", "Moana");
  await editor.locator("[name=voice]").first().check();
  await editor.selectOption("[name=age_band]", { index: 1 });
  await editor.selectOption("[name=country]", "NZ");
  await editor.locator("[name=topics][value=housing]").check();
  await editor.fill("[name=body]", "She chose her flat and the people who support her.");
  await submit(editor);
  await landed(editor, "story draft", { screenshot: true });
  const storyPath = new URL(editor.url()).pathname;

  await visit(editor, `${storyPath}/review`, "story review");
  let consent = editor.locator("form[action$='/consent']");
  expect(await consent.count() === 1, "the review page has the consent form");
  await clickAndWait(editor, consent.locator("button[type=submit]"));
  await landed(editor, "consent with errors");
  const consentErrors = await formErrors(editor, "consent form");
  step(`consent saved empty: errors announced and linked (${consentErrors.join(" ")})`);
  consent = editor.locator("form[action$='/consent']");
  await consent.locator("[name=method]").selectOption({ index: 1 });
  for (const box of await consent.locator("[name=scope]").all()) await box.check();
  await clickAndWait(editor, consent.locator("button[type=submit]"));
  await landed(editor, "story with consent");
  await visit(editor, storyPath, "story ready to submit", { screenshot: false });
  const submitForReview = editor.locator("form[action$='/submit'] button");
  expect(await submitForReview.count() === 1, `the story offers Submit (at ${editor.url()})`);
  await clickAndWait(editor, submitForReview);
  await landed(editor, "story submitted");
  step("wrote a story, recorded consent and sent it for review");

  const reviewerContext = await browser.newContext({ locale: "en-GB" });
  const reviewer = await reviewerContext.newPage();
  await logIn(reviewer, "kopu_reviewer");
  await visit(reviewer, storyPath, "story awaiting approval", { screenshot: false });
  for (const action of ["approve", "publish"]) {
    const button = reviewer.locator(`form[action$='/${action}'] button`);
    expect(await button.count() === 1, `the reviewer sees ${action} (at ${reviewer.url()})`);
    await clickAndWait(reviewer, button);
    await landed(reviewer, `story ${action}d`);
  }
  await capture(reviewer, "story");
  await tabStops(reviewer, "the story page");
  step("a second person approved and published the story");
  await editorContext.close();
  await reviewerContext.close();
  return storyPath;
}

async function logIn(page, login, secret = password) {
  await page.goto(new URL("/login", base).toString());
  await page.fill("[name=login]", login);
  await page.fill("[name=password]", secret);
  await submit(page);
  expect(!page.url().includes("/login"), `log-in as ${login} failed: still on ${page.url()}`);
}

async function logOut(page) {
  await clickAndWait(page, page.locator("header form[action='/logout'] button"));
}

/// The lists in the main menu show what was published.
async function lists(page) {
  for (const [url, name, expected] of [
    ["/stories", "stories", "A flat of her own"],
    ["/guides", "guides", "Matching staff by shared interests"],
    ["/isf-templates", "isf templates", "Weekly ISF for support at home"],
    ["/organisations", "organisations", "Rosa's Circle"],
  ]) {
    await visit(page, url, name);
    expect((await mainText(page)).includes(expected), `${url} lists ${expected}`);
  }
  step("the lists of stories, guides, ISF templates and organisations show what was published");
}

async function searchAndFollow(page) {
  await visit(page, "/search", "search");
  await page.fill("[name=q]", "staff");
  await submitSearch(page);
  await landed(page, "search results", { screenshot: true });
  expect((await mainText(page)).includes("Matching staff by shared interests"), "the search finds the guide");
  await tabStops(page, "the search results");
  // Narrow it with a facet checkbox, as a member would.
  const typeBox = page.locator("input[type=checkbox][value=practice_guide]");
  expect(await typeBox.count() > 0, "the results offer a type filter");
  await typeBox.first().check();
  await submitSearch(page);
  await landed(page, "search filtered");
  expect(page.url().includes("practice_guide"), `the filter is in the address: ${page.url()}`);
  const text = await mainText(page);
  expect(text.includes("Matching staff by shared interests"), "the filtered search still finds the guide");
  expect(await page.locator("input[type=checkbox][value=practice_guide]").first().isChecked(), "the ticked filter stays ticked");
  step("searched and filtered by type");

  const save = page.locator("button[form=save-search]");
  expect(await save.count() === 1, "the results offer Save this search");
  await clickAndWait(page, save);
  await landed(page, "after saving a search");
  step("saved the search for the digest");

  // A topic: from the guide's topic to the search for it, then follow it.
  await visit(page, "/guides", "guides", { screenshot: false });
  await clickAndWait(page, page.locator("main a", { hasText: "Matching staff by shared interests" }).first());
  const topic = page.locator("main .tags a", { hasText: "Personnel" });
  expect(await topic.count() === 1, "the guide's topic links to everything on that topic");
  await clickAndWait(page, topic);
  await landed(page, "search by topic");
  expect(await page.locator("input[type=checkbox][name=topic][value=personnel]").isChecked(), "the search is filtered by the topic");
  const followTopic = page.locator("button[form=follow-topic]");
  expect(await followTopic.count() === 1, "a search for one topic offers to follow the topic");
  expect((await followTopic.textContent()).includes("Personnel"), "the follow button names the topic");
  await clickAndWait(page, followTopic);
  await landed(page, "after following a topic");
  step("followed a topic from a guide's topic list");

  await visit(page, "/organisations/kopu", "a peer organisation", { screenshot: false });
  const follow = page.locator("main form[action='/follows'] button").first();
  expect(await follow.count() === 1, "the organisation page offers Follow");
  await clickAndWait(page, follow);
  await landed(page, "after following");
  step("followed an organisation");
}

async function digestSettings(page) {
  await visit(page, "/settings", "account");
  const follows = await page.locator("#follows + ul").textContent().catch(() => "");
  for (const what of ["Org kopu", "Personnel", "staff"]) {
    expect(follows.includes(what), `the follow list shows ${what}: ${follows.replace(/\s+/g, " ")}`);
  }
  const form = page.locator("form[action='/settings/digest']");
  expect(await form.count() === 1, "the account page has the digest settings");
  await form.locator("[name=frequency][value=daily]").check();
  await form.locator("[name=hour]").selectOption("7");
  await clickAndWait(page, form.locator("button[type=submit]"));
  await landed(page, "digest settings saved");
  expect(await page.locator("form[action='/settings/digest'] [name=frequency][value=daily]").isChecked(), "the saved frequency is daily");
  expect(await page.locator("form[action='/settings/digest'] [name=hour]").inputValue() === "7", "the saved hour is 07:00");
  await tabStops(page, "the account page");
  step("changed the digest settings");
}

async function reportStory(page, storyPath) {
  await visit(page, storyPath, "story as a reader", { screenshot: false });
  const report = page.locator("main details");
  expect(await report.count() === 1, "the story has Report a problem");
  await report.locator("summary").click();
  await report.locator("[name=reason]").fill("It names the care home.");
  await clickAndWait(page, report.locator("button[type=submit]"));
  await landed(page, "report sent", { screenshot: true });
  step("reported a problem with the story");
}

async function administration(browser) {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await logIn(page, admin);
  await visit(page, "/admin", "administration");
  expect((await mainText(page)).includes("rosa"), "the administration page lists the new member");
  await visit(page, "/moderation", "reports");
  expect((await mainText(page)).includes("It names the care home."), "the reports page shows the report");
  step("an administrator sees the members and the report");
  await context.close();
}

async function unsubscribe(page) {
  // Opening the e-mail's link is enough; the page says so and offers other choices.
  await visit(page, unsubscribeUrl, "unsubscribe");
  const more = page.locator("main a[href^='/email-settings/']");
  expect(await more.count() === 1, "the unsubscribe page links to the digest choices");
  await clickAndWait(page, more);
  await landed(page, "digest choices without logging in", { screenshot: true });
  expect(await page.locator("[name=frequency][value=never]").isChecked(), "after unsubscribing the choice is Never");
  // Change of mind: weekly again, then back to never, all without logging in.
  await page.locator("[name=frequency][value=weekly]").check();
  await submit(page);
  await landed(page, "digest choice saved");
  expect(await page.locator("[name=frequency][value=weekly]").isChecked(), "weekly is saved");
  await page.locator("[name=frequency][value=never]").check();
  await submit(page);
  expect(await page.locator("[name=frequency][value=never]").isChecked(), "never is saved");
  step("unsubscribed from the e-mail's link and changed the choice without logging in");
}

/// A forgotten password: the link from the log-in page, the e-mail, a new password that
/// does not match its repeat (errors linked), then one that does, and logging in with it.
async function forgottenPassword(page) {
  await visit(page, "/login", "log-in", { screenshot: false });
  await clickAndWait(page, page.locator("main a[href='/password/forgot']"));
  await landed(page, "forgotten password", { screenshot: true });
  await page.fill("[name=login]", "rosa");
  await submit(page);
  await landed(page, "reset link sent");
  const mail = await waitForMail("/password/reset/");
  const link = mail.match(/https?:\/\/[^\s"<>]*\/password\/reset\/[A-Za-z0-9_.~-]+/);
  expect(link, "the reset mail holds a /password/reset/ link");
  await visit(page, link[0], "new password");
  await page.fill("[name=password]", "a brand new password");
  await page.fill("[name=password_again]", "another one entirely");
  await submit(page);
  await landed(page, "new password with errors", { screenshot: true });
  const errors = await formErrors(page, "new password");
  step(`a new password that does not match its repeat: errors announced and linked (${errors.join(" ")})`);
  await page.fill("[name=password]", "a brand new password");
  await page.fill("[name=password_again]", "a brand new password");
  await submit(page);
  await landed(page, "new password saved");
  await logIn(page, "rosa", "a brand new password");
  await logOut(page);
  step("chose a new password from the e-mail's link and logged in with it");
}

async function otherPages(page) {
  await visit(page, "/organisations/no-such-organisation", "page not found", { status: 404 });
  step("the not-found page");
}

async function withoutJavaScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(new URL("/search?q=staff", base).toString());
  await page.locator("input[type=checkbox][value=practice_guide]").first().check();
  await submitSearch(page);
  expect((await mainText(page)).includes("Matching staff by shared interests"), "search with filters works without JavaScript");
  // Errors are still announced (role=alert) and linked without the script that focuses them.
  await page.goto(new URL("/signup", base).toString());
  await submit(page);
  noProblems(await errorSummaryProblems(page), "sign-up errors without JavaScript");
  await logIn(page, "kopu_editor");
  step("search, form errors and log-in work with JavaScript off");
  await context.close();
}

/// The interface in Finnish, from the browser's language: the page says which language it
/// is in, and content keeps its own.
async function inFinnish(browser) {
  const context = await browser.newContext({ locale: "fi-FI" });
  const page = await context.newPage();
  await visit(page, "/", "home in Finnish");
  expect(await page.getAttribute("html", "lang") === "fi", "a Finnish browser gets the Finnish interface");
  await visit(page, "/search?q=staff", "search in Finnish");
  const title = page.locator("main a", { hasText: "Matching staff by shared interests" }).first();
  expect(await title.getAttribute("lang") === "en", "an English title inside the Finnish interface says it is English");
  step("the interface in Finnish, content in its own language");
  await context.close();
}

async function main() {
  const started = Date.now();
  const seconds = Number(process.env.BROWSER_TIMEOUT_SECS || 240);
  setTimeout(() => {
    console.log(`FAILED: gave up after ${seconds} s (at step ${steps + 1})`);
    process.exit(1);
  }, seconds * 1000).unref();
  // One Chromium for everything. Playwright starts it with a new, empty profile folder of
  // its own (--user-data-dir in the system's temporary folder) and removes it on close.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // Without the background-networking flags Chromium stalls on a closed network.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const failures = await selfTest(browser, step);
    noProblems(failures, "a check no longer catches what it is named after");

    // English first; the Finnish interface is checked on its own below.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    const page = await context.newPage();
    page.on("pageerror", (e) => pageErrors.push(`JavaScript error on ${page.url()}: ${e.message}`));
    await visit(page, "/", "home");
    await keyboardSignUp(page);
    await organisationJourney(page);
    await publishGuide(page);
    await reviseGuide(page);
    await easyReadVersion(page);
    await publishIsfTemplate(page);
    const storyPath = await publishStory(browser);
    await lists(page);
    await searchAndFollow(page);
    await digestSettings(page);
    await reportStory(page, storyPath);
    await administration(browser);
    await logOut(page);
    await unsubscribe(page);
    await forgottenPassword(page);
    await otherPages(page);
    await context.close();
    await withoutJavaScript(browser);
    await inFinnish(browser);
    console.log(`PASSED: ${steps} steps, ${audited.size} page states audited, ${captured.size} pages captured at two widths, in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`FAILED: ${e.message}`);
  process.exit(1);
});
