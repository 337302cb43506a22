// Mutual's main journeys in a real browser (Debian's Chromium, driven by playwright-core),
// with an axe-core audit of every page visited (WCAG 2.0/2.1/2.2 A and AA rules), keyboard
// checks, reflow at 320 CSS px, text at 200%, and screenshots at desktop and phone widths.
//
// Run by tests/browser.rs, which starts the server and prepares what the journeys need.
// Environment:
//   MUTUAL_URL          the server, e.g. http://127.0.0.1:PORT
//   MUTUAL_OUTBOX       the folder the server writes e-mails to (.eml files)
//   MUTUAL_PASSWORD     the password of the prepared accounts
//   MUTUAL_UNSUBSCRIBE  an unsubscribe link for the prepared editor (kopu_editor)
//   ARTIFACTS           where screenshots go (default ../../test-artifacts/screenshots)
//   CHROMIUM            the browser (default /usr/bin/chromium)
// Prints one line per step; on the first failure prints "FAILED: …" and exits 1.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const base = process.env.MUTUAL_URL;
const outbox = process.env.MUTUAL_OUTBOX;
const password = process.env.MUTUAL_PASSWORD;
const unsubscribeUrl = process.env.MUTUAL_UNSUBSCRIBE;
const artifacts = process.env.ARTIFACTS ||
  path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../test-artifacts/screenshots");
if (!base || !outbox || !password || !unsubscribeUrl) {
  console.error("MUTUAL_URL, MUTUAL_OUTBOX, MUTUAL_PASSWORD and MUTUAL_UNSUBSCRIBE are needed");
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });

const audited = new Set();
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

/// Runs axe on the page as it is now; every violation at WCAG A/AA fails the run.
async function audit(page, name) {
  const key = `${name}`;
  if (audited.has(key)) return;
  audited.add(key);
  // Evaluated through the DevTools protocol, so the site's Content-Security-Policy (no
  // inline scripts) stays on for everything else the page does.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    return await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    });
  });
  if (result.violations.length > 0) {
    const lines = result.violations.map((v) =>
      `  ${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `    at ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n"));
    fail(`axe found ${result.violations.length} violation(s) on ${name} (${page.url()}):\n${lines.join("\n")}`);
  }
  step(`axe: no violations on ${name}`);
}

/// A full-page PNG at desktop and phone widths, and the reflow and text-size checks.
async function capture(page, title) {
  const name = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const original = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(artifacts, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({ path: path.join(artifacts, `${name}-phone.png`), fullPage: true });
  // WCAG 1.4.10 Reflow: at 320 CSS px nothing scrolls sideways.
  await page.setViewportSize({ width: 320, height: 800 });
  const wide = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    wider: [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 &&
        !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 5)
      .map((el) => `${el.outerHTML.slice(0, 120)} (right edge ${Math.round(el.getBoundingClientRect().right)})`),
  }));
  expect(wide.width <= 320, `${name}: at 320 px the page is ${wide.width} px wide (it scrolls sideways); too wide: ${wide.wider.join(" | ")}`);
  // WCAG 1.4.4 Resize text: text at 200% (as a browser's text-size setting does) on a
  // 640 px window still fits, with no control cut off.
  await page.setViewportSize({ width: 640, height: 800 });
  const resized = await page.evaluate(() => {
    document.documentElement.style.fontSize = "200%";
    const width = document.documentElement.scrollWidth;
    const clipped = [...document.querySelectorAll("button, input:not([type=hidden]), select, textarea, a.button, label")]
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 2 &&
        getComputedStyle(el).overflowX !== "visible")
      .map((el) => el.outerHTML.slice(0, 80));
    const wider = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 &&
        !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 5)
      .map((el) => {
        const chain = [];
        for (let a = el; a && a !== document.body; a = a.parentElement) {
          const cs = getComputedStyle(a);
          chain.push(`${a.tagName.toLowerCase()}.${a.className}[${cs.display},${cs.overflowX},${Math.round(a.getBoundingClientRect().width)}]`);
        }
        return `${el.outerHTML.slice(0, 120)} (right edge ${Math.round(el.getBoundingClientRect().right)}; ${chain.join(" < ")})`;
      });
    document.documentElement.style.fontSize = "";
    return { width, clipped, wider };
  });
  expect(resized.width <= 640, `${name}: with text at 200% the page is ${resized.width} px wide at 640 px; too wide: ${resized.wider.join(" | ")}`);
  expect(resized.clipped.length === 0, `${name}: with text at 200% these are cut off: ${resized.clipped.join(", ")}`);
  await page.setViewportSize(original);
  step(`screenshots, reflow at 320 px and text at 200%: ${name}`);
}

async function visit(page, url, name, { screenshot = true } = {}) {
  const response = await page.goto(new URL(url, base).toString());
  expect(response && response.ok(), `${name}: ${url} answered ${response && response.status()}`);
  await audit(page, name);
  if (screenshot) await capture(page, name);
}

/// After a form post: the page must have answered well, then it is audited.
async function landed(page, name, { screenshot = false } = {}) {
  await page.waitForLoadState("load");
  await audit(page, name);
  if (screenshot) await capture(page, name);
}

async function submit(page, formSelector = "main form") {
  await Promise.all([
    page.waitForNavigation(),
    page.locator(`${formSelector} button[type=submit]`).last().click(),
  ]);
}

/// The search form's own button (not "Save this search", which sits inside it but posts
/// another form).
async function submitSearch(page) {
  await Promise.all([
    page.waitForNavigation(),
    page.locator("form[action='/search'] button[type=submit]:not([form])").first().click(),
  ]);
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

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName, name: el.getAttribute("name"), id: el.id, cls: el.className, text: (el.textContent || "").trim().slice(0, 40), type: el.getAttribute("type"), inMain: !!el.closest("main"), value: el.getAttribute("value"), formAction: (el.form && el.form.getAttribute("action")) || "" } : null;
  });
}

/// Presses Tab until the focused element matches, failing after `limit` presses.
async function tabTo(page, test, what, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const el = await focused(page);
    if (el && test(el)) return el;
  }
  fail(`Tab never reached ${what}`);
}

async function logIn(page, login) {
  await visit(page, "/login", "log-in", { screenshot: false });
  await page.fill("[name=login]", login);
  await page.fill("[name=password]", password);
  await submit(page);
  expect(!page.url().includes("/login"), `log-in as ${login} failed: still on ${page.url()}`);
}

async function logOut(page) {
  await Promise.all([page.waitForNavigation(), page.click("header form[action='/logout'] button")]);
}

// ---------------------------------------------------------------------------------------

async function keyboardSignUp(page) {
  await visit(page, "/signup", "sign-up");

  // The skip link is the first stop and takes focus to the main content.
  await page.keyboard.press("Tab");
  let el = await focused(page);
  expect(el && el.cls.includes("skip-link"), `the first Tab stop is ${JSON.stringify(el)}, not the skip link`);
  const skipVisible = await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.top >= 0;
  });
  expect(skipVisible, "the skip link is visible when focused");
  await page.keyboard.press("Enter");
  el = await focused(page);
  expect(el && el.id === "main", `Enter on the skip link moved focus to ${JSON.stringify(el)}`);
  step("the skip link is the first Tab stop, shows when focused and moves focus to main");

  // Focus is visible: the sign-up button, reached with Tab, shows a focus ring.
  const tabbed = await tabTo(page, (e) => e.tag === "BUTTON" && e.type === "submit" && e.inMain, "the sign-up button");
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== "none" };
  });
  expect(ring.outline || ring.shadow, `no visible focus indicator on ${JSON.stringify(tabbed)}`);
  step("a focused button shows a focus ring at least 2 px wide");

  // An empty form, sent from the keyboard: errors announced, summarised and linked.
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await landed(page, "sign-up with errors", { screenshot: true });
  const errors = await page.evaluate(() => {
    const summary = document.getElementById("error-summary");
    if (!summary) return null;
    const links = [...summary.querySelectorAll("a[href^='#']")].map((a) => {
      const target = document.getElementById(a.getAttribute("href").slice(1));
      return {
        href: a.getAttribute("href"),
        exists: !!target,
        invalid: target && target.getAttribute("aria-invalid"),
        describedBy: target && (target.getAttribute("aria-describedby") || ""),
        describedText: target && (target.getAttribute("aria-describedby") || "").split(" ")
          .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(" "),
      };
    });
    return {
      announced: summary.getAttribute("role") === "alert" || document.activeElement === summary,
      focused: document.activeElement === summary,
      links,
    };
  });
  expect(errors, "an empty sign-up shows an error summary (id=error-summary)");
  expect(errors.announced, "the error summary is announced (role=alert or focused)");
  expect(errors.links.length > 0, "the error summary links to the fields");
  for (const link of errors.links) {
    expect(link.exists, `the error link ${link.href} points at a field that exists`);
    expect(link.invalid === "true", `the field ${link.href} is marked aria-invalid`);
    expect(link.describedText.trim().length > 0, `the field ${link.href} is described by its error (aria-describedby)`);
  }
  step(`an empty sign-up: ${errors.links.length} errors summarised, announced and linked to their fields`);

  // Now the real thing, from the keyboard alone.
  const fields = [
    ["username", "rosa"],
    ["email", "rosa@example.org"],
    ["display_name", "Rosa Example"],
    ["password", password],
  ];
  await page.keyboard.press("Tab"); // leave the summary
  for (const [name, value] of fields) {
    await tabTo(page, (e) => e.name === name, `the ${name} field`);
    await page.keyboard.press("Control+A");
    await page.keyboard.type(value);
  }
  await tabTo(page, (e) => e.tag === "BUTTON" && e.type === "submit" && e.inMain, "the sign-up button");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await landed(page, "signed up", { screenshot: true });
  step("signed up with the keyboard only");

  // Confirm the address from the e-mail.
  const mail = await waitForMail("rosa@example.org");
  const link = mail.match(/https?:\/\/[^\s"<>]*\/confirm-email\/[A-Za-z0-9_.~-]+/);
  expect(link, "the confirmation mail holds a /confirm-email/ link");
  await visit(page, link[0], "e-mail confirmed", { screenshot: false });
  step("confirmed the address from the e-mail's link");

  // Log in from the keyboard.
  await page.goto(new URL("/login", base).toString());
  await tabTo(page, (e) => e.name === "login", "the log-in field");
  await page.keyboard.type("rosa");
  await tabTo(page, (e) => e.name === "password", "the password field");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForLoadState("load");
  await page.waitForFunction(() => !location.pathname.startsWith("/login"), null, { timeout: 5000 })
    .catch(() => fail(`log-in by keyboard failed: still on ${page.url()}`));
  const loggedIn = await page.locator("header form[action='/logout']").count();
  expect(loggedIn === 1, "after log-in the header offers log-out");
  step("logged in with the keyboard only");
}

async function organisationJourney(page) {
  await visit(page, "/organisations/new", "organisation-new");
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

  await visit(page, "/organisations/rosas-circle/edit", "organisation-edit", { screenshot: false });
  await page.fill("[name=summary]", "A small provider in Tampere that shares what it learns.");
  await submit(page);
  await landed(page, "organisation after edit");
  expect((await page.content()).includes("in Tampere"), "the edit shows on the organisation page");
  step("edited the organisation");
}

/// Written and published with the keyboard alone: Tab to each field, type, Space to tick,
/// Enter to send.
async function publishGuide(page) {
  await visit(page, "/organisations/rosas-circle/guides/new", "guide-new");
  await page.locator("main").focus();
  const typed = [
    ["title", "Matching staff by shared interests"],
    ["summary", "How we let people choose who supports them."],
    ["lang", "en"],
  ];
  for (const [name, value] of typed) {
    await tabTo(page, (e) => e.name === name, `the ${name} field`);
    await page.keyboard.press("Control+A");
    await page.keyboard.type(value);
  }
  await tabTo(page, (e) => e.name === "topics" && e.value === "personnel", "the Personnel topic");
  await page.keyboard.press("Space");
  await tabTo(page, (e) => e.name === "body", "the body field");
  await page.keyboard.type("We ask each person what they love doing.\n\nThen we recruit people who love it too.");
  await tabTo(page, (e) => e.tag === "BUTTON" && e.type === "submit" && e.inMain, "the save button");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await landed(page, "guide draft", { screenshot: true });
  const publishForms = await page.locator("main form[action$='/publish'] button").count();
  expect(publishForms === 1, `the draft guide offers Publish (at ${page.url()})`);
  await page.locator("main").focus();
  await tabTo(page, (e) => e.tag === "BUTTON" && e.formAction.endsWith("/publish"), "the Publish button");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await landed(page, "guide published", { screenshot: true });
  expect((await page.content()).includes("Matching staff by shared interests"), "the published guide shows its title");
  expect(await page.locator("main form[action$='/publish'] button").count() === 0, "once published, Publish is gone");
  step("wrote and published a practice guide with the keyboard only");
}

/// An easy-read version of the guide: started from the guide's page, published, then linked
/// from the original.
async function easyReadVersion(page) {
  const guide = page.url();
  const start = page.locator("form[action$='/version'] button", { hasText: /easy-read/i });
  expect(await start.count() === 1, "the published guide offers an easy-read version");
  await Promise.all([page.waitForNavigation(), start.click()]);
  await landed(page, "easy-read version, edit form");
  await page.fill("[name=title]", "Matching staff: easy read");
  await page.fill("[name=body]", "We ask you what you like.\n\nWe find staff who like it too.");
  await submit(page);
  await landed(page, "easy-read draft");
  const publish = page.locator("main form[action$='/publish'] button");
  await Promise.all([page.waitForNavigation(), publish.click()]);
  await landed(page, "easy-read version", { screenshot: true });
  expect((await page.textContent("main")).includes("This is the easy-read version of"), "the version links back to the original");
  await visit(page, guide, "guide with its easy-read version", { screenshot: false });
  const link = page.locator("main a", { hasText: "Easy read version" });
  expect(await link.count() === 1, "the original links to its easy-read version");
  step("wrote and published an easy-read version, linked both ways");
}

async function publishIsfTemplate(page) {
  await visit(page, "/organisations/rosas-circle/isf-templates/new", "isf-new");
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
  expect(await publish.count() === 1, `the draft ISF template offers Publish (at ${page.url()}): ${(await page.textContent("main")).slice(0, 600)}`);
  await Promise.all([page.waitForNavigation(), publish.click()]);
  await landed(page, "isf published", { screenshot: true });
  step("wrote and published an ISF template");
}

/// A story needs consent and a second person's approval: the prepared team of "kopu".
async function publishStory(browser) {
  const editorContext = await browser.newContext({ locale: "en-GB" });
  const editor = await editorContext.newPage();
  await logIn(editor, "kopu_editor");
  await visit(editor, "/organisations/kopu/stories/new", "story-new");
  // Publishing from the keyboard: the form filled and sent with Tab, typing and Enter.
  const typed = [
    ["title", "A flat of her own"],
    ["summary", "Moving out of a care home."],
    ["lang", "en"],
    ["pseudonym", "Moana"],
  ];
  for (const [name, value] of typed) {
    await editor.focus(`[name=${name}]`);
    await editor.keyboard.press("Control+A");
    await editor.keyboard.type(value);
  }
  await editor.locator("[name=voice]").first().check();
  await editor.selectOption("[name=age_band]", { index: 1 });
  await editor.selectOption("[name=country]", "NZ");
  await editor.locator("[name=topics][value=housing]").check();
  await editor.fill("[name=body]", "She chose her flat and the people who support her.");
  await submit(editor);
  await landed(editor, "story draft", { screenshot: true });
  const storyPath = new URL(editor.url()).pathname;

  await visit(editor, `${storyPath}/review`, "story review");
  const consent = editor.locator("form[action$='/consent']");
  expect(await consent.count() === 1, "the review page has the consent form");
  await consent.locator("[name=method]").first().check().catch(async () => {
    await consent.locator("[name=method]").selectOption({ index: 1 });
  });
  for (const box of await consent.locator("[name=scope]").all()) await box.check();
  await Promise.all([editor.waitForNavigation(), consent.locator("button[type=submit]").click()]);
  await landed(editor, "story with consent");
  await visit(editor, storyPath, "story ready to submit", { screenshot: false });
  const submitForReview = editor.locator("form[action$='/submit'] button");
  expect(await submitForReview.count() === 1, `the story offers Submit (at ${editor.url()})`);
  await Promise.all([editor.waitForNavigation(), submitForReview.click()]);
  await landed(editor, "story submitted");
  step("wrote a story, recorded consent and sent it for review");

  const reviewerContext = await browser.newContext({ locale: "en-GB" });
  const reviewer = await reviewerContext.newPage();
  await logIn(reviewer, "kopu_reviewer");
  await visit(reviewer, storyPath, "story awaiting approval", { screenshot: false });
  for (const action of ["approve", "publish"]) {
    const button = reviewer.locator(`form[action$='/${action}'] button`);
    expect(await button.count() === 1, `the reviewer sees ${action} (at ${reviewer.url()})`);
    await Promise.all([reviewer.waitForNavigation(), button.click()]);
    await landed(reviewer, `story ${action}d`);
  }
  await capture(reviewer, "story");
  step("a second person approved and published the story");
  await editorContext.close();
  await reviewerContext.close();
}

async function searchAndFollow(page) {
  await visit(page, "/search", "search");
  await page.fill("[name=q]", "staff");
  await submitSearch(page);
  await landed(page, "search results", { screenshot: true });
  expect((await page.content()).includes("Matching staff by shared interests"), "the search finds the guide");
  // Narrow it with a facet checkbox, as a member would.
  const typeBox = page.locator("input[type=checkbox][value=practice_guide]");
  expect(await typeBox.count() > 0, "the results offer a type filter");
  await typeBox.first().check();
  await submitSearch(page);
  await landed(page, "search filtered");
  expect(page.url().includes("practice_guide"), `the filter is in the address: ${page.url()}`);
  expect((await page.content()).includes("Matching staff by shared interests"), "the filtered search still finds the guide");
  step("searched and filtered by type");

  const save = page.locator("button[form=save-search]");
  expect(await save.count() === 1, "the results offer Save this search");
  await Promise.all([page.waitForNavigation(), save.click()]);
  await landed(page, "after saving a search");
  step("saved the search for the digest");

  await visit(page, "/organisations/kopu", "a peer organisation", { screenshot: false });
  const follow = page.locator("form[action$='/follow'] button, form[action='/follows'] button").first();
  expect(await follow.count() === 1, "the organisation page offers Follow");
  await Promise.all([page.waitForNavigation(), follow.click()]);
  await landed(page, "after following");
  step("followed an organisation");
}

async function digestSettings(page) {
  await visit(page, "/settings", "account");
  const form = page.locator("form[action='/settings/digest']");
  expect(await form.count() === 1, "the account page has the digest settings");
  expect((await page.content()).includes("kopu") || (await page.content()).includes("Org kopu"), "the follow list shows the organisation");
  await form.locator("[name=frequency][value=daily]").check().catch(async () => {
    await form.locator("[name=frequency]").selectOption("daily");
  });
  await form.locator("[name=hour]").selectOption("7").catch(async () => {
    await form.locator("[name=hour]").fill("7");
  });
  await Promise.all([page.waitForNavigation(), form.locator("button[type=submit]").click()]);
  await landed(page, "digest settings saved");
  const daily = await page.locator("form[action='/settings/digest'] [name=frequency][value=daily]").isChecked().catch(async () =>
    (await page.locator("form[action='/settings/digest'] [name=frequency]").inputValue()) === "daily");
  expect(daily, "the saved frequency is daily");
  step("changed the digest settings");
}

async function unsubscribe(page) {
  // Opening the e-mail's link is enough; the page says so and offers other choices.
  await visit(page, unsubscribeUrl, "unsubscribe");
  const more = page.locator("main a[href^='/email-settings/']");
  expect(await more.count() === 1, "the unsubscribe page links to the digest choices");
  await Promise.all([page.waitForNavigation(), more.click()]);
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

async function withoutJavaScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(new URL("/search?q=staff", base).toString());
  await page.locator("input[type=checkbox][value=practice_guide]").first().check();
  await submitSearch(page);
  expect((await page.content()).includes("Matching staff by shared interests"), "search with filters works without JavaScript");
  await logIn(page, "kopu_editor");
  step("search and log-in work with JavaScript off");
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
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    headless: true,
  });
  try {
    // English first; the Finnish interface is checked on its own below.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
    await visit(page, "/", "home");
    await keyboardSignUp(page);
    await organisationJourney(page);
    await publishGuide(page);
    await easyReadVersion(page);
    await publishIsfTemplate(page);
    await publishStory(browser);
    await searchAndFollow(page);
    await digestSettings(page);
    await logOut(page);
    await unsubscribe(page);
    await withoutJavaScript(browser);
    await inFinnish(browser);
    console.log(`PASSED: ${steps} steps, ${audited.size} page states audited`);
  } finally {
    // Playwright gives Chromium a fresh, temporary profile of its own and removes it.
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`FAILED: ${e.message}`);
  process.exit(1);
});
