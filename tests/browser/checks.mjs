// The accessibility checks the journeys run on Mutual's pages. Each takes a playwright-core
// page and returns a list of problems (strings); an empty list means the check passed.
// selftest.mjs runs every check on small pages built to break it, so a check that can no
// longer fail is itself caught.

import { createRequire } from "node:module";
import fs from "node:fs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/// WCAG 2.0, 2.1 and 2.2, levels A and AA.
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// axe-core's rules for WCAG 2.2 A and AA on the page as it is now: one problem per rule
/// broken, with its help text and the elements (at most five) that break it.
export async function axeProblems(page) {
  // Evaluated through the DevTools protocol, so the site's Content-Security-Policy (no
  // inline scripts) stays on for everything else the page does.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async (tags) => {
    return await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
  }, WCAG_TAGS);
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n` +
    v.nodes.slice(0, 5).map((n) =>
      `      at ${n.target.join(" ")}: ${n.failureSummary.replace(/\s*\n\s*/g, "; ")}`).join("\n"));
}

/// WCAG 1.4.1 Use of colour: a link inside text is told apart by more than its colour, so
/// it must be underlined (or have a bottom border). A link alone in its block (a button, a
/// heading, a list of links) is not "in text" and is not checked.
export async function colourAloneProblems(page) {
  return page.evaluate(() => {
    const blockOf = (el) => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        const d = getComputedStyle(a).display;
        if (!d.startsWith("inline") && d !== "contents") return a;
      }
      return document.body;
    };
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.opacity !== "0";
    };
    const problems = [];
    for (const link of document.querySelectorAll("a[href]")) {
      if (!visible(link)) continue;
      if (!getComputedStyle(link).display.startsWith("inline")) continue;
      const own = link.textContent.replace(/\s+/g, " ").trim();
      const around = blockOf(link).textContent.replace(/\s+/g, " ").trim();
      if (!own || around.length <= own.length) continue; // not inside other text
      const s = getComputedStyle(link);
      const underlined = s.textDecorationLine.includes("underline") &&
        s.textDecorationStyle !== "none" && !/rgba\(.*,\s*0\)$/.test(s.textDecorationColor);
      const bordered = parseFloat(s.borderBottomWidth) >= 1 && s.borderBottomStyle !== "none";
      if (!underlined && !bordered) {
        problems.push(`the link "${own.slice(0, 40)}" inside text "${around.slice(0, 60)}…" is not underlined (colour alone tells it apart)`);
      }
    }
    return problems;
  });
}

/// Puts the keyboard's starting point at the top of the page, as on a fresh load: the
/// next Tab goes to the first tab stop. (A focused element that is then removed leaves the
/// starting point where it was.)
export async function focusTop(page) {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    const mark = document.createElement("span");
    mark.tabIndex = -1;
    document.body.prepend(mark);
    mark.focus();
    mark.remove();
  });
}

async function describeFocused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.getAttribute("name") ? " name=" + el.getAttribute("name") : ""}> "${(el.textContent || el.value || "").replace(/\s+/g, " ").trim().slice(0, 30)}"`;
  });
}

/// The focused element's focus indicator, compared with the same element unfocused (a
/// copy of it beside it, which matches the same rules except :focus): a visible outline at
/// least 2 px wide, or a box shadow, that the unfocused element does not have. Also WCAG
/// 2.4.11: the focused element is in the window and not hidden under something else.
export async function focusedElementProblems(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return ["nothing has focus"];
    const name = `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : ""}> "${(el.textContent || el.value || "").replace(/\s+/g, " ").trim().slice(0, 30)}"`;
    const look = (s) => ({
      outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 &&
        !/rgba\(.*,\s*0\)$/.test(s.outlineColor) && s.outlineColor !== "transparent",
      outlineKey: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      shadow: s.boxShadow,
    });
    const focused = look(getComputedStyle(el));
    const copy = el.cloneNode(true);
    // Not in the same group of radio buttons or the same label: the original is untouched.
    for (const a of ["id", "name", "form", "autofocus"]) copy.removeAttribute(a);
    copy.setAttribute("aria-hidden", "true");
    copy.setAttribute("tabindex", "-1");
    el.after(copy);
    const plain = look(getComputedStyle(copy));
    copy.remove();
    const problems = [];
    const ring = (focused.outline && focused.outlineKey !== plain.outlineKey) ||
      (focused.shadow !== "none" && focused.shadow !== plain.shadow);
    if (!ring) {
      problems.push(`${name}: no visible focus indicator (focused: outline ${focused.outlineKey}, shadow ${focused.shadow}; unfocused: outline ${plain.outlineKey}, shadow ${plain.shadow})`);
    }
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) {
      problems.push(`${name}: focused but not visible (${Math.round(r.width)}×${Math.round(r.height)} px)`);
    } else if (r.bottom < 0 || r.top > innerHeight || r.right < 0 || r.left > innerWidth) {
      problems.push(`${name}: focused but outside the window (top ${Math.round(r.top)}, left ${Math.round(r.left)})`);
    } else {
      const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
      const top = document.elementFromPoint(x, y);
      const label = el.labels && [...el.labels].some((l) => l.contains(top));
      if (top && top !== el && !el.contains(top) && !label) {
        problems.push(`${name}: focused but hidden under <${top.tagName.toLowerCase()} class="${top.className}">`);
      }
    }
    return problems;
  });
}

/// Tabs through the whole page from the top and checks every stop with
/// focusedElementProblems, until focus leaves the page or comes round to a stop again.
/// Fails when focus is stuck (the same element after Tab) or the page has no tab stops.
/// Returns the problems and how many stops there were.
export async function everyTabStopProblems(page, limit = 400) {
  await focusTop(page);
  const problems = [];
  const seen = new Set();
  let previous = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const now = await describeFocused(page);
    if (now === null) break; // past the last stop
    const id = await page.evaluate((n) => {
      const el = document.activeElement;
      if (!el.dataset.tabStop) el.dataset.tabStop = String(n);
      return el.dataset.tabStop;
    }, i);
    if (id === previous) {
      problems.push(`focus is stuck on ${now}`);
      break;
    }
    if (seen.has(id)) break; // round to the start again
    seen.add(id);
    previous = id;
    for (const p of await focusedElementProblems(page)) problems.push(p);
  }
  await page.evaluate(() => document.querySelectorAll("[data-tab-stop]").forEach((e) => delete e.dataset.tabStop));
  if (seen.size === 0) problems.push("the page has no tab stops");
  return { problems, stops: seen.size };
}

/// WCAG 2.4.1: the first Tab stop is a skip link, visible when focused, and Enter on it
/// moves focus to the main content. With `fresh`, the page has just loaded and nothing is
/// done before the Tab (the keyboard-only journeys); otherwise focusTop comes first.
export async function skipLinkProblems(page, { fresh = false } = {}) {
  if (!fresh) await focusTop(page);
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const href = el.getAttribute && el.getAttribute("href");
    return {
      tag: el.tagName, href, text: el.textContent.trim().slice(0, 40),
      visible: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
      target: href && href.startsWith("#") && document.getElementById(href.slice(1)) ? href.slice(1) : null,
    };
  });
  if (first.tag !== "A" || !first.target) {
    return [`the first Tab stop is <${first.tag.toLowerCase()}> "${first.text}", not a link to the main content`];
  }
  const problems = [];
  if (!first.visible) problems.push(`the skip link "${first.text}" is not visible when focused`);
  await page.keyboard.press("Enter");
  const after = await page.evaluate(() => {
    const el = document.activeElement;
    return { id: el.id, tag: el.tagName, isMain: el.tagName === "MAIN" || el.getAttribute("role") === "main" };
  });
  if (after.id !== first.target || !after.isMain) {
    problems.push(`Enter on the skip link moved focus to <${after.tag.toLowerCase()}#${after.id}>, not to the main content`);
  }
  return problems;
}

/// WCAG 3.3.1, 3.3.3, 4.1.3 on a page showing a form's errors: an error summary
/// (#error-summary) that is announced (role="alert", or focused), that links each error to
/// its field (href="#id"); each such field is marked aria-invalid="true" and described
/// (aria-describedby) by text holding the error; a group of choices (fieldset) is described
/// by its error the same way. With `followLink`, the first link is focused and Enter on it
/// must move focus to its field (the keyboard journeys do that step with Tab themselves).
export async function errorSummaryProblems(page, { followLink = true } = {}) {
  const found = await page.evaluate(() => {
    const summary = document.getElementById("error-summary");
    if (!summary) return null;
    const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
    const links = [...summary.querySelectorAll("a")].map((a) => {
      const href = a.getAttribute("href") || "";
      const target = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
      const described = target ? norm((target.getAttribute("aria-describedby") || "").split(/\s+/)
        .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent).join(" ")) : "";
      const group = target && (target.tagName === "FIELDSET" || target.getAttribute("role") === "group" ||
        target.getAttribute("role") === "radiogroup");
      const controls = group ? [...target.querySelectorAll("input, select, textarea")] : [];
      return {
        href, text: norm(a.textContent),
        exists: !!target,
        control: !!target && (["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName) || group),
        group,
        invalid: !!target && (target.getAttribute("aria-invalid") === "true" ||
          (group && controls.length > 0 && controls.every((c) => c.getAttribute("aria-invalid") === "true"))),
        described,
      };
    });
    return {
      announced: summary.getAttribute("role") === "alert" || document.activeElement === summary,
      links,
      plainItems: [...summary.querySelectorAll("li")].filter((li) => !li.querySelector("a")).map((li) => norm(li.textContent)),
    };
  });
  if (!found) return ["the page shows no error summary (#error-summary)"];
  const problems = [];
  if (!found.announced) problems.push("the error summary is neither role=\"alert\" nor focused, so it is not announced");
  if (found.links.length === 0) problems.push("the error summary has no links to the fields");
  for (const item of found.plainItems) problems.push(`the error "${item}" does not link to its field`);
  for (const link of found.links) {
    if (!link.href.startsWith("#")) { problems.push(`the error "${link.text}" links to ${link.href}, not to a field on the page (#id)`); continue; }
    if (!link.exists) { problems.push(`the error "${link.text}" links to ${link.href}, which is not on the page`); continue; }
    if (!link.control) problems.push(`the error "${link.text}" links to ${link.href}, which is not a field or a group of fields`);
    if (!link.invalid) problems.push(`the field ${link.href} is not marked aria-invalid="true"`);
    if (!link.described.includes(link.text)) {
      problems.push(`the field ${link.href} is not described by its error "${link.text}" (aria-describedby text: "${link.described}")`);
    }
  }
  // Following the first link from the keyboard reaches its field.
  const first = found.links.find((l) => l.exists && !l.group);
  if (followLink && first && problems.length === 0) {
    await page.focus(`#error-summary a[href="${first.href}"]`);
    await page.keyboard.press("Enter");
    const now = await page.evaluate(() => "#" + document.activeElement.id);
    if (now !== first.href) problems.push(`Enter on the error link ${first.href} moved focus to ${now}, not to the field`);
  }
  return problems;
}

/// Controls whose text does not fit: text cut off in buttons, fields, labels and link
/// buttons (their content is wider or taller than their box and they do not let it show),
/// and a select whose chosen option is wider than the select.
async function clippedControls(page) {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d");
    // Visually hidden text (a 1 px box for screen readers) is not shown, so not cut off.
    const shown = (el) => el.offsetParent !== null && el.getBoundingClientRect().width > 2;
    const out = [];
    for (const el of document.querySelectorAll("button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, a.button, label, .button")) {
      if (!shown(el)) continue;
      const s = getComputedStyle(el);
      if (el.tagName === "SELECT") {
        const option = el.options[el.selectedIndex];
        if (!option) continue;
        canvas.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const need = canvas.measureText(option.text).width;
        // The arrow takes about 1.25em beside the padding.
        const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 1.25 * parseFloat(s.fontSize);
        if (need > room + 1) out.push(`<select name=${el.name}> shows "${option.text}" (${Math.round(need)} px) in ${Math.round(room)} px`);
        continue;
      }
      const wide = el.scrollWidth > el.clientWidth + 2 && s.overflowX !== "visible";
      const tall = el.scrollHeight > el.clientHeight + 2 && s.overflowY !== "visible" && el.tagName !== "TEXTAREA";
      if (wide || tall) out.push(`${el.outerHTML.slice(0, 100)} (${wide ? "too wide" : "too tall"} for its box)`);
    }
    return out;
  });
}

/// What sticks out past the window's right edge (the outermost such elements; content
/// inside a box that scrolls or clips on its own is left out).
async function overflowing(page) {
  return page.evaluate(() => {
    // An absolutely placed element escapes the clipping of boxes below its offsetParent.
    const clipped = (el) => {
      const escapes = ["absolute", "fixed"].includes(getComputedStyle(el).position);
      const holder = el.offsetParent;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (escapes && holder && a !== holder && holder.contains(a)) continue;
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    const out = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
    return [...document.body.querySelectorAll("*")]
      .filter((el) => out(el) && !clipped(el) && !(el.parentElement && out(el.parentElement) && !clipped(el.parentElement)))
      .slice(0, 5)
      .map((el) => `${el.outerHTML.slice(0, 100)} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
  });
}

/// WCAG 1.4.10 Reflow: in a window 320 CSS px wide the page does not scroll sideways and
/// no control's text is cut off. (Data tables may scroll inside their own box.)
export async function reflowProblems(page) {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const problems = [];
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 320) problems.push(`at 320 px wide the page is ${width} px wide (it scrolls sideways); too wide: ${(await overflowing(page)).join(" | ")}`);
  for (const c of await clippedControls(page)) problems.push(`at 320 px wide this is cut off: ${c}`);
  await page.setViewportSize(original);
  return problems;
}

/// WCAG 1.4.4 Resize text: with the text at 200% (the root font size doubled, as a
/// browser's text-size setting does) in a window 640 px wide, the text really is twice the
/// size (no fixed pixel sizes), the page does not scroll sideways, and no control's text
/// is cut off.
export async function textResizeProblems(page) {
  const original = page.viewportSize();
  await page.setViewportSize({ width: 640, height: 800 });
  // Every piece of text on the page, before and after.
  // (A tick box has no text: its width is what must grow.)
  const sizes = () => page.evaluate(() =>
    [...document.body.querySelectorAll("p, li, label, legend, dt, dd, td, th, h1, h2, h3, a, button, input, select, textarea, span")]
      .map((el) => ["checkbox", "radio"].includes(el.type) ? el.getBoundingClientRect().width
        : parseFloat(getComputedStyle(el).fontSize)));
  const before = await sizes();
  await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
  const after = await sizes();
  const problems = [];
  const fixed = await page.evaluate(([b, a]) => {
    const els = [...document.body.querySelectorAll("p, li, label, legend, dt, dd, td, th, h1, h2, h3, a, button, input, select, textarea, span")];
    return els.map((el, i) => ({ el, i })).filter(({ i }) => a[i] < b[i] * 1.9)
      .filter(({ el }) => el.getBoundingClientRect().width > 1)
      .slice(0, 5).map(({ el, i }) => `${el.outerHTML.slice(0, 80)} (${b[i]} → ${a[i]} px)`);
  }, [before, after]);
  if (fixed.length > 0) problems.push(`with the text setting at 200% this text did not grow to twice its size (fixed pixel sizes?): ${fixed.join(" | ")}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 640) problems.push(`with text at 200% the page is ${width} px wide in a 640 px window; too wide: ${(await overflowing(page)).join(" | ")}`);
  for (const c of await clippedControls(page)) problems.push(`with text at 200% this is cut off: ${c}`);
  await page.evaluate(() => { document.documentElement.style.fontSize = ""; });
  await page.setViewportSize(original);
  return problems;
}
