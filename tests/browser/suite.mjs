// Browser suite: each kind of user walks registration (or invitation) → sign-in →
// dashboard in Japanese, English and easy Japanese, in Debian's Chromium; axe-core
// (WCAG 2.2 AA tags, target-size on) runs on every page and every error state, at
// desktop width and at 320 CSS px, and must find nothing; every page must reflow at
// 320 CSS px without horizontal scrolling, and its HTML as sent must validate.
//
// Usage: node suite.mjs   (TSUNAGU_BIN, TSUNAGU_TEST_BACKEND, TSUNAGU_TEST_PG_URL as in test.sh)
// TSUNAGU_BROWSER_MATRIX=full (default): every journey in ja, en and easy-Japanese with
// furigana, then every page again under each display setting and with furigana.
// TSUNAGU_BROWSER_MATRIX=journeys: the keyboard journeys in Japanese only, every page
// state checked the same way (test.sh runs this on the second database).
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { HtmlValidate } from "html-validate";
import { spawn, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";

const BIN = process.env.TSUNAGU_BIN || path.resolve("../../target/debug/tsunagu");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PW = "correct horse battery";
let failures = 0;
let checks = 0;
let menuChecked = false;

function fail(msg) {
  failures++;
  console.error("FAIL: " + msg);
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-browser-"));
  const env = { ...process.env, TSUNAGU_RATE_LOGIN_PER_MINUTE: "1000", TSUNAGU_RATE_LOGIN_PER_ACCOUNT: "1000", TSUNAGU_RATE_REGISTER_PER_HOUR: "1000" };
  let dbName = null;
  if ((process.env.TSUNAGU_TEST_BACKEND || "sqlite") === "postgres") {
    dbName = `tsunagu_b_${process.pid}_${Date.now()}`;
    const admin = process.env.TSUNAGU_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
    execFileSync("psql", [admin, "-qc", `CREATE DATABASE ${dbName}`]);
    env.TSUNAGU_DATABASE_URL = admin.replace(/\/[^/]*$/, "/" + dbName);
  }
  const port = await freePort();
  env.TSUNAGU_PUBLIC_URL = `http://localhost:${port}`;
  // The issuer of invoices (the billing pages issue one).
  env.TSUNAGU_OPERATOR_NAME = "株式会社つなぐ試験運営";
  env.TSUNAGU_INVOICE_REGISTRATION_NUMBER = "T1234567890123";
  execFileSync(BIN, ["--data-dir", dir, "demo"], { env });
  const log = fs.openSync(path.join(dir, "server.log"), "a");
  const child = spawn(BIN, ["--data-dir", dir, "serve", "--listen", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", log] });
  for (let i = 0; i < 200; i++) {
    try { const r = await fetch(`http://localhost:${port}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { dir, port, child, base: `http://localhost:${port}`, dbName, env };
}

// Every page is opened through this, so that check() can validate the HTML exactly as
// the server sent it (the document of the last navigation).
async function newPage(browser, locale) {
  const ctx = await browser.newContext({ locale });
  const page = await ctx.newPage();
  page.on("response", (r) => {
    const req = r.request();
    const redirect = r.status() >= 300 && r.status() < 400;
    if (req.isNavigationRequest() && req.frame() === page.mainFrame() && !redirect) {
      page.__html = r.text().catch(() => null);
    }
  });
  return { ctx, page };
}
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });

// The browser's own accessibility tree (what a screen reader gets), via CDP.
async function axTree(page) {
  if (!page.__cdp) page.__cdp = await page.context().newCDPSession(page);
  const { nodes } = await page.__cdp.send("Accessibility.getFullAXTree");
  return nodes.filter((n) => !n.ignored);
}
const INTERACTIVE = new Set(["button", "link", "textbox", "checkbox", "radio", "combobox", "searchbox", "spinbutton", "switch", "menuitem", "tab", "listbox"]);

// axe-core with the WCAG 2.2 AA tags and target-size on; zero violations allowed.
async function axe(page, label) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .options({ rules: { "target-size": { enabled: true } } })
    .analyze();
  for (const v of results.violations) {
    fail(`${label}: axe ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  }
}

async function check(page, label) {
  checks++;
  await axe(page, label);
  // One h1, a main landmark, a skip link.
  const h1 = await page.locator("h1").count();
  if (h1 !== 1) fail(`${label}: ${h1} h1 elements`);
  if ((await page.locator("main#main").count()) !== 1) fail(`${label}: no main landmark`);
  // Furigana: readings are hidden from assistive technology (the base text is read
  // once) and never inside a control's accessible name twice.
  const ruby = await page.evaluate(() => ({
    on: document.documentElement.classList.contains("furigana"),
    count: document.querySelectorAll("ruby").length,
    exposed: document.querySelectorAll("rt:not([aria-hidden=true]), rp:not([aria-hidden=true])").length,
  }));
  if (ruby.exposed) fail(`${label}: ${ruby.exposed} furigana readings exposed to screen readers`);
  if (!ruby.on && ruby.count) fail(`${label}: furigana shown while off`);
  // Every control has a name in the browser's accessibility tree; under furigana the
  // main heading's name is its text without the readings.
  const nodes = await axTree(page);
  for (const n of nodes) {
    const role = n.role && n.role.value;
    if (INTERACTIVE.has(role) && !((n.name && n.name.value) || "").trim()) fail(`${label}: a ${role} without an accessible name`);
  }
  if (ruby.on) {
    const expected = await page.evaluate(() => { const h = document.querySelector("h1").cloneNode(true); h.querySelectorAll("rt, rp").forEach((e) => e.remove()); return h.textContent.replace(/\s+/g, " ").trim(); });
    const h1 = nodes.find((n) => n.role && n.role.value === "heading" && (n.properties || []).some((p) => p.name === "level" && p.value.value === 1));
    const got = ((h1 && h1.name && h1.name.value) || "").replace(/\s+/g, " ").trim();
    if (got !== expected) fail(`${label}: under furigana the h1 is announced as ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`);
  }
  // Latin text (emails, numbers, English pages) is set in a proportional font: the
  // body's font list must not give "iiiiiiiiii" and "MMMMMMMMMM" the same width.
  const fixedWidth = await page.evaluate(() => {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `16px ${getComputedStyle(document.body).fontFamily}`;
    return Math.abs(ctx.measureText("iiiiiiiiii").width - ctx.measureText("MMMMMMMMMM").width) < 1;
  });
  if (fixedWidth) fail(`${label}: Latin text is set in a fixed-width font`);
  // The title is plain text naming the page (no markup leaked into it).
  const title = await page.title();
  if (!title || /[<>{}]/.test(title) || title.length > 120) fail(`${label}: bad title ${JSON.stringify(title.slice(0, 80))}`);
  // On a phone (375 px, default text) the page's heading starts on the first screen:
  // the header folds its links behind one menu button.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 667 });
  const phone = await page.evaluate(() => ({
    defaultText: document.documentElement.classList.contains("ts-0"),
    // The heading, or the error summary where one comes before it (GOV.UK), must start on the first screen.
    h1Top: Math.min(...["#error-summary", "h1"].map((sel) => document.querySelector(sel)).filter(Boolean).map((e) => e.getBoundingClientRect().top + window.scrollY), Infinity),
    menu: !!document.querySelector(".site-header.menu-ready .menu-button"),
  }));
  // (Default text means no furigana either: readings make each line taller, and the
  // back link or step line above a heading then pushes it a little past 200 px.)
  if (phone.defaultText && !ruby.on && phone.h1Top > 200) fail(`${label}: at 375 px the h1 starts ${Math.round(phone.h1Top)} px down (over 200)`);
  if (!phone.menu) fail(`${label}: no menu button in the phone header`);
  else if (!menuChecked) {
    menuChecked = true;
    const button = page.locator(".menu-button");
    if (await page.locator("#site-menu nav").isVisible()) fail(`${label}: the phone menu is open before it is asked for`);
    await button.focus();
    await page.keyboard.press("Enter");
    if ((await button.getAttribute("aria-expanded")) !== "true" || !(await page.locator("#site-menu nav a").first().isVisible())) fail(`${label}: the menu button does not open the menu`);
    await page.keyboard.press("Enter");
    if ((await button.getAttribute("aria-expanded")) !== "false") fail(`${label}: the menu button does not close the menu`);
  }
  // Reflow at 320 CSS px.
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) fail(`${label}: scrolls horizontally by ${overflow}px at 320px`);
  // axe again at 320 px: targets, contrast and names as a phone user gets them.
  await axe(page, `${label} (320px)`);
  await page.setViewportSize(size);
  // Duplicate ids break labels and error links.
  const dup = await page.evaluate(() => { const s = new Set(); const d = []; for (const e of document.querySelectorAll("[id]")) { if (s.has(e.id)) d.push(e.id); s.add(e.id); } return d; });
  if (dup.length) fail(`${label}: duplicate ids ${dup.join(",")}`);
  // The HTML as sent validates (nesting, attributes, ids).
  const html = page.__html ? await page.__html : null;
  if (!html) fail(`${label}: the page's HTML was not captured`);
  else {
    const report = await validator.validateString(html, label);
    for (const m of report.results.flatMap((r) => r.messages).slice(0, 5)) fail(`${label}: HTML ${m.ruleId} (line ${m.line}): ${m.message}`);
  }
}

function latestMail(dir, to) {
  const folder = path.join(dir, "mail-outbox");
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(folder)) {
      const files = fs.readdirSync(folder).filter((f) => f.endsWith(".eml")).map((f) => path.join(folder, f));
      for (const f of files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)) {
        const raw = fs.readFileSync(f, "utf8");
        if (raw.includes(to)) return decodeMail(raw);
      }
    }
    execFileSync("sleep", ["0.1"]);
  }
  throw new Error(`no mail to ${to}`);
}

// The data directory of the server under test (its mail files), set once it starts.
let serverDir = null;

// Opens the confirmation link mailed to an address registered through the API (the
// registration journeys open it in the browser, as a person would).
async function confirmByApi(base, email) {
  const token = (latestMail(serverDir, email).match(/\/verify-email\/([A-Za-z0-9_-]+)/) || [])[1];
  const r = await fetch(base + "/api/v1/auth/verify-email", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
  if (r.status !== 200) fail(`confirming ${email}: ${r.status}`);
}

function decodeMail(raw) {
  const [head, ...rest] = raw.split("\r\n\r\n");
  const body = rest.join("\r\n\r\n");
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8");
  return body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

const T = {
  ja: { register: "新規登録", submit: "登録する", login: "ログインする", invite: "招待メールを送る", accept: "登録して招待を承諾する", dashboard: "マイページ", logout: "ログアウト" },
  en: { register: "Register", submit: "Register", login: "Sign in", invite: "Send invitation", accept: "Register and accept", dashboard: "My page", logout: "Sign out" },
};
// Easy Japanese: seeker screens have their own words; the rest falls back to Japanese.
T.easy = { ...T.ja, register: "新しく 登録", invite: "招待の メールを 送る" };

// An accessible name matched exactly but for white space: Playwright's own name
// computation puts spaces around <ruby> (Chromium's accessibility tree does not;
// check() compares against that tree).
function loose(name) {
  const chars = [...name.replace(/\s+/g, "")].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp("^\\s*" + chars.join("\\s*") + "\\s*$");
}

// The interface language of a page: en, or ja / easy (both lang="ja"; the switch
// offers every language but the current one).
async function uiLang(page) {
  if ((await page.getAttribute("html", "lang")) === "en") return "en";
  return (await page.locator(".lang-switch button[value=easy]").count()) ? "ja" : "easy";
}

async function setLang(page, base, lang) {
  await page.goto(base + "/");
  if ((await uiLang(page)) !== lang) {
    await page.locator(`.lang-switch button[value=${lang}]`).click();
    await page.waitForLoadState();
  }
  if ((await uiLang(page)) !== lang) fail(`language switch to ${lang} did not work`);
}

// The furigana switch in the header, by keyboard: its state is aria-pressed.
async function setFurigana(page, base, on, label) {
  await page.goto(base + "/");
  const pressed = async () => (await page.getAttribute(".furigana-switch button", "aria-pressed")) === "true";
  if ((await pressed()) !== on) {
    await page.locator("h1").click();
    await page.keyboard.press("Shift+Tab");
    for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement && document.activeElement.matches(".furigana-switch button"))); i++) await page.keyboard.press("Shift+Tab");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  }
  if ((await pressed()) !== on) fail(`${label}: furigana switch did not turn ${on ? "on" : "off"}`);
  if (on !== ((await page.locator("main ruby").count()) > 0)) fail(`${label}: furigana ${on ? "missing" : "shown"} on the home page`);
}

async function login(page, base, lang, email, label) {
  await page.goto(base + "/login");
  await check(page, `${label} login page`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "wrong password");
  await page.getByRole("button", { name: loose(T[lang].login) }).click();
  await page.waitForLoadState();
  await check(page, `${label} login error state`);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "error-summary") fail(`${label}: focus is not on the error summary after a failed login (${focused})`);
  const password = email.endsWith("demo.tsunagu.example") ? "tsunagu-demo-2026" : PW;
  await page.fill("#f-password", password);
  await page.getByRole("button", { name: loose(T[lang].login) }).click();
  await secondStep(page, base, email, password, label);
  // A signed-in user's saved language wins over the browser's; switch if needed.
  if ((await uiLang(page)) !== lang) {
    await page.locator(`.lang-switch button[value=${lang}]`).click();
    await page.waitForURL("**/dashboard");
  }
  if ((await uiLang(page)) !== lang) fail(`${label}: dashboard not in ${lang}`);
  await check(page, `${label} dashboard`);
  // The dashboard says what to do next; the account's details are on their own page
  // (checked in full by the page sweeps and the seeker's journey).
  await page.goto(base + "/account");
  const text = await page.textContent("main");
  if (!text.includes(email)) fail(`${label}: the account page does not show the account's email`);
}

// Signs in without the checks of login() (for journeys that change users often; the
// login and dashboard pages are checked by every login() call).
async function signIn(page, base, email) {
  await page.goto(base + "/login");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "tsunagu-demo-2026");
  await page.locator("main form button.primary").click();
  await secondStep(page, base, email, "tsunagu-demo-2026", email);
}

// The suite's authenticator app: the key of each account that set one up in the suite
// (the demo operator and admins have the published demo key) and the last time step it
// used. Each code signs in once, so the next sign-in takes the next of the steps the
// server accepts (the one before now, now, the next), waiting for a new step only when
// all three are used.
const DEMO_TOTP_KEY = "ORZXK3TBM52S2ZDFNVXS25DPORYC2MRW";
const authenticators = new Map();
let totpWaited = 0;

// How long each part of the run took (printed at the end, to keep the suite's budget).
const started = Date.now();
let lap = started;
const laps = [];
function timed(label) {
  const now = Date.now();
  laps.push(`${String(Math.round((now - lap) / 1000)).padStart(5)} s  ${label}`);
  lap = now;
}
async function nextCode(email) {
  let a = authenticators.get(email);
  if (!a && email.endsWith("@demo.tsunagu.example")) authenticators.set(email, (a = { key: DEMO_TOTP_KEY, last: 0 }));
  if (!a) return null;
  const now = Date.now() / 1000;
  // The step before now only while it stays accepted for 10 s more (a loaded machine
  // may take seconds to deliver the code).
  const earliest = now % 30 <= 20 ? Math.floor(now / 30) - 1 : Math.floor(now / 30);
  const step = Math.max(earliest, a.last + 1);
  a.last = step;
  const wait = (step - 1) * 30 - now;
  if (wait > 0) {
    totpWaited += wait + 1;
    await new Promise((r) => setTimeout(r, (wait + 1) * 1000));
  }
  return totpCode(a.key, step * 30);
}

// After the password: the code step for an account with an authenticator, or the first
// set-up of one for an account that must have it (an operator, a company's or a
// facility's admin: the set-up page is checked, it says why), then the dashboard.
async function secondStep(page, base, email, password, label) {
  await page.waitForURL((u) => u.pathname !== "/login");
  const url = new URL(page.url());
  if (url.pathname === "/login/code") {
    const code = await nextCode(email);
    if (!code) { fail(`${label}: ${email} asks for a code the suite does not know`); return; }
    await page.fill("#f-code", code);
    await Promise.all([page.waitForURL((u) => u.pathname !== "/login/code"), page.locator("main form button.primary").click()]);
  } else if (url.pathname === "/account/security") {
    if (!(await page.locator("#required").count())) fail(`${label}: the set-up page does not say why an authenticator is needed`);
    await check(page, `${label} authenticator required`);
    await page.fill("#f-password", password);
    await Promise.all([page.waitForSelector("#totp-secret"), page.locator("main form[action='/account/security/totp'] button").click()]);
    const key = ((await page.textContent("#totp-secret")) || "").replace(/\s/g, "");
    authenticators.set(email, { key, last: 0 });
    await page.fill("#f-code", await nextCode(email));
    await Promise.all([page.waitForSelector("ol.recovery-codes"), page.locator("main form[action='/account/security/totp/confirm'] button").click()]);
    await page.goto(base + "/dashboard");
  }
  await page.waitForURL("**/dashboard");
}

// An API token for a demo account (the admins give the demo authenticator's code).
async function apiToken(base, email) {
  const body = { email, password: "tsunagu-demo-2026" };
  if (authenticators.has(email) || ["employer", "partner", "supporter", "operator"].some((w) => email === `${w}@demo.tsunagu.example`)) body.code = await nextCode(email);
  return fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

// Keyboard only: Tab to the skip link, follow it (focus moves to the main content), and
// go on from there.
async function fromMain(page, label) {
  // Already in the main content (e.g. the error summary takes focus on load).
  if (await page.evaluate(() => document.activeElement !== document.body && !!document.activeElement.closest("main"))) return;
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 80));
  if (!first || !first.includes("skip-link")) fail(`${label}: the first Tab does not reach the skip link (${first})`);
  await page.keyboard.press("Enter");
}

// Keyboard only: answer a one-question page (type into its field, Enter sends it).
async function answer(page, selector, value, label, next) {
  await fromMain(page, label);
  await tabTo(page, selector, label);
  await page.keyboard.press("Control+A");
  await page.keyboard.type(value);
  await Promise.all([page.waitForURL(next), page.keyboard.press("Enter")]);
}

async function registerJourney(page, srv, lang, kind, email, org) {
  const base = srv.base;
  const label = `${lang} ${kind}`;
  await setLang(page, base, lang);
  await check(page, `${label} home`);
  await page.goto(base + "/register");
  await check(page, `${label} register choice`);
  // Keyboard only, one question per page.
  await fromMain(page, `${label} register`);
  await tabTo(page, `a[href="/register/${kind}"]`, `${label} register`);
  await Promise.all([page.waitForURL(`**/register/${kind}/name`), page.keyboard.press("Enter")]);
  await check(page, `${label} register name`);
  // Sent empty: the error, announced, with focus on the summary.
  await fromMain(page, `${label} register`);
  await tabTo(page, "form button.primary", `${label} register`);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector(".error-summary");
  await check(page, `${label} register name error`);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "error-summary") fail(`${label}: focus is not on the error summary (${focused})`);
  if ((await page.getAttribute(".error-summary", "role")) !== "alert") fail(`${label}: the error summary is not announced`);
  await answer(page, "#f-name", lang !== "en" ? "試験 太郎" : "Test Taro", `${label} register`, org ? "**/organization" : "**/email");
  if (org) {
    await check(page, `${label} register organization`);
    await answer(page, "#f-organization_name", org, `${label} register`, "**/email");
  }
  await check(page, `${label} register email`);
  await answer(page, "#f-email", email, `${label} register`, "**/password");
  await check(page, `${label} register password`);
  // Paste is allowed in the password field.
  const pasteBlocked = await page.evaluate(() => { const e = new Event("paste", { cancelable: true, bubbles: true }); return !document.getElementById("f-password").dispatchEvent(e); });
  if (pasteBlocked) fail(`${label}: paste is blocked in the password field`);
  await answer(page, "#f-password", PW, `${label} register`, "**/consents");
  await check(page, `${label} register consents`);
  await fromMain(page, `${label} register`);
  await tabTo(page, "#f-consent_privacy", `${label} register consents`);
  await page.keyboard.press("Space");
  if (kind === "seeker") {
    await tabTo(page, "#f-consent_sensitive", `${label} register consents`);
    await page.keyboard.press("Space");
  }
  await tabTo(page, "form button.primary", `${label} register consents`);
  await Promise.all([page.waitForURL("**/check"), page.keyboard.press("Enter")]);
  // Check your answers; change one answer and come back.
  await check(page, `${label} register check answers`);
  const summary = (await page.textContent("main")) || "";
  if (!summary.includes(email)) fail(`${label}: the summary does not show the email`);
  if (summary.includes(PW)) fail(`${label}: the summary shows the password`);
  await fromMain(page, `${label} register check`);
  await tabTo(page, `a[href="/register/${kind}/email?return=check"]`, `${label} register check`);
  await Promise.all([page.waitForURL("**/email?return=check"), page.keyboard.press("Enter")]);
  if ((await page.inputValue("#f-email")) !== email) fail(`${label}: the answer is not kept when changing it`);
  await check(page, `${label} register change email`);
  await answer(page, "#f-email", email, `${label} register`, "**/check");
  await fromMain(page, `${label} register check`);
  await tabTo(page, "form button.primary", `${label} register check`);
  await Promise.all([page.waitForURL("**/login?m=register-done"), page.keyboard.press("Enter")]);
  const status = await page.textContent("#status");
  if (!status || status.trim() === "") fail(`${label}: no status message after registration`);
  // The address is confirmed by a link mailed to it. A seeker signs in first: until the
  // link is opened, everything but confirming the address is held.
  const link = (latestMail(srv.dir, email).match(/\/verify-email\/[A-Za-z0-9_-]+/) || [])[0];
  if (!link) { fail(`${label}: no confirmation link in the mail`); return; }
  if (kind === "seeker") {
    await page.fill("#f-email", email);
    await page.fill("#f-password", PW);
    await Promise.all([page.waitForURL("**/account/email?m=verify-first"), page.getByRole("button", { name: loose(T[lang].login) }).click()]);
    if (!(await page.locator("#unverified").count())) fail(`${label}: the address page does not say why it is held`);
    await check(page, `${label} address not confirmed`);
    await page.goto(base + "/profile");
    if (new URL(page.url()).pathname !== "/account/email") fail(`${label}: the profile opened before the address was confirmed`);
    await page.getByRole("button", { name: loose(T[lang].logout) }).click();
    await page.waitForLoadState();
  }
  await page.goto(base + link);
  await check(page, `${label} confirm address`);
  // Keyboard only: the one button.
  await fromMain(page, `${label} confirm address`);
  await tabTo(page, "main form button", `${label} confirm address`);
  await Promise.all([page.waitForURL("**/login?m=email-verified"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: confirming the address is not announced`);
  await login(page, base, lang, email, label);
}

async function inviteAndAccept(browser, srv, inviterPage, lang, kind, inviteeEmail, choose) {
  const label = `${lang} ${kind} invitation`;
  await inviterPage.goto(srv.base + "/invitations");
  await check(inviterPage, `${label} page`);
  await inviterPage.getByRole("button", { name: loose(T[lang].invite) }).click();
  await inviterPage.waitForLoadState();
  await check(inviterPage, `${label} error state`);
  // Keyboard only: the address, the role or relation (arrow keys on the closed
  // select), and send.
  await fromMain(inviterPage, label);
  await tabTo(inviterPage, "#f-email", label);
  await inviterPage.keyboard.press("Control+A");
  await inviterPage.keyboard.type(inviteeEmail);
  await tabTo(inviterPage, choose.select, label);
  for (let i = 0; i < 10 && (await inviterPage.inputValue(choose.select)) !== choose.value; i++) await inviterPage.keyboard.press("ArrowDown");
  if ((await inviterPage.inputValue(choose.select)) !== choose.value) fail(`${label}: could not choose ${choose.value} by keyboard`);
  await tabTo(inviterPage, "main form[action^='/invitations'] button.primary", label);
  await Promise.all([inviterPage.waitForURL("**/invitations?m=invite-sent"), inviterPage.keyboard.press("Enter")]);
  if (!((await inviterPage.textContent("#status")) || "").trim()) fail(`${label}: sending is not announced`);
  await check(inviterPage, `${label} sent`);
  const mail = latestMail(srv.dir, inviteeEmail);
  const link = mail.match(/\/invite\/([A-Za-z0-9_-]+)/);
  if (!link) { fail(`${label}: no link in the mail`); return; }
  const { ctx, page } = await newPage(browser, lang !== "en" ? "ja-JP" : "en-US");
  await setLang(page, srv.base, lang);
  await page.goto(srv.base + link[0]);
  await check(page, `${label} accept form`);
  await page.getByRole("button", { name: loose(T[lang].accept) }).click();
  await page.waitForLoadState();
  await check(page, `${label} accept errors`);
  // Keyboard only: name, password, consent, accept.
  await fromMain(page, `${label} accept`);
  await tabTo(page, "#f-name", `${label} accept`);
  await page.keyboard.type(lang !== "en" ? "招待 花子" : "Invited Hanako");
  await tabTo(page, "#f-password", `${label} accept`);
  await page.keyboard.type(PW);
  await tabTo(page, "#f-consent_privacy", `${label} accept`);
  await page.keyboard.press("Space");
  await tabTo(page, "main form button.primary", `${label} accept`);
  await Promise.all([page.waitForURL("**/login?m=accept-done"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after accepting`);
  await login(page, srv.base, lang, inviteeEmail, `${lang} ${kind}`);
  if (kind === "family") {
    // Keyboard only: from the dashboard to what the seeker shares with the family.
    await fromMain(page, `${label} view`);
    await tabTo(page, "main a[href^='/seekers/']", `${label} view`);
    await Promise.all([page.waitForURL("**/seekers/**"), page.keyboard.press("Enter")]);
    await check(page, `${label} shared view`);
    const items = (await page.getAttribute("dl.facts", "data-items")) || "";
    if (!items.includes("name")) fail(`${label}: the family member does not see the seeker's name (${items})`);
    if (items.includes("certificate") || items.includes("disability")) fail(`${label}: the family member sees what was not shared (${items})`);
  }
  await ctx.close();
}

// Supporter: the facility's code, given to a seeker, who links the facility by keyboard
// in the privacy settings; the seeker then appears on the facility page.
async function linkSeekerJourney(page, base, lang, seekerEmail, supporterEmail) {
  const label = `${lang} supporter link`;
  await page.goto(base + "/facility");
  await check(page, `${label} facility code`);
  const code = ((await page.textContent("#facility-code")) || "").trim();
  if (!code) { fail(`${label}: no facility code`); return; }
  await page.getByRole("button", { name: loose(T[lang].logout) }).click();
  await page.waitForLoadState();
  await login(page, base, lang, seekerEmail, `${label} seeker`);
  await page.goto(base + "/privacy-settings");
  await fromMain(page, label);
  await tabTo(page, "#f-code", label);
  await page.keyboard.type(code);
  await tabTo(page, "#supporter button.primary", label);
  await Promise.all([page.waitForURL("**/privacy-settings?m=**"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: linking is not announced`);
  await check(page, `${label} linked`);
  await page.getByRole("button", { name: loose(T[lang].logout) }).click();
  await page.waitForLoadState();
  await login(page, base, lang, supporterEmail, `${label} supporter`);
  await page.goto(base + "/facility");
  await fromMain(page, label);
  await tabTo(page, "main a[href^='/seekers/']", label);
  await Promise.all([page.waitForURL("**/seekers/**"), page.keyboard.press("Enter")]);
  await check(page, `${label} seeker`);
  if (!((await page.textContent("main")) || "").includes(lang !== "en" ? "試験 太郎" : "Test Taro")) fail(`${label}: the linked seeker is not shown`);
}

// Keyboard only: Tab until `selector` has focus; every control passed on the way must
// have an accessible name and a visible focus indicator.
async function tabTo(page, selector, label) {
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || el === document.body) return { done: false, name: "x", visible: true };
      const name = (el.getAttribute("aria-label") || (el.labels && el.labels.length ? el.labels[0].textContent : "") || el.textContent || el.value || "").trim();
      const cs = getComputedStyle(el);
      const visible = cs.outlineStyle !== "none" || cs.boxShadow !== "none";
      return { done: el.matches(sel), name, visible, tag: el.tagName, id: el.id };
    }, selector);
    if (!info.name) fail(`${label}: focusable ${info.tag}#${info.id} has no accessible name`);
    if (!info.visible) fail(`${label}: focus not visible on ${info.tag}#${info.id}`);
    if (info.done) return;
  }
  fail(`${label}: could not reach ${selector} by keyboard`);
}

// Keyboard only: fill fields in document order, Tabbing from one to the next. Text:
// select all and type; select: arrow keys on the closed list; checkbox: Space; radio:
// Tab into the group, then Space or arrow keys to the wanted choice.
async function keyFill(page, entries, label) {
  const order = await page.evaluate((sels) => {
    const els = sels.map((s) => document.querySelector(s));
    return sels.map((_, i) => i).sort((a, b) => (els[a].compareDocumentPosition(els[b]) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }, entries.map(([sel]) => sel));
  for (const i of order) {
    const [sel, value] = entries[i];
    const el = await page.evaluate((s) => { const e = document.querySelector(s); return { tag: e.tagName, type: e.type, name: e.name }; }, sel);
    const isFocused = () => page.evaluate((s) => document.activeElement === document.querySelector(s), sel);
    const isChecked = () => page.isChecked(sel);
    if (el.type === "radio") {
      await tabTo(page, `input[type=radio][name="${el.name}"]`, label);
      if (await isFocused()) await page.keyboard.press("Space");
      for (let n = 0; n < 30 && !(await isChecked()); n++) await page.keyboard.press("ArrowDown");
    } else if (el.type === "checkbox") {
      await tabTo(page, sel, label);
      if ((await isChecked()) !== value) await page.keyboard.press("Space");
    } else if (el.tag === "SELECT") {
      await tabTo(page, sel, label);
      for (const key of ["ArrowDown", "ArrowUp"]) for (let n = 0; n < 60 && (await page.inputValue(sel)) !== value; n++) await page.keyboard.press(key);
    } else {
      await tabTo(page, sel, label);
      await page.keyboard.press("Control+A");
      await page.keyboard.type(value);
    }
    const got = el.type === "radio" || el.type === "checkbox" ? await isChecked() : await page.inputValue(sel);
    if (got !== value) fail(`${label}: ${sel} is ${JSON.stringify(got)} after keyboard entry, not ${JSON.stringify(value)}`);
  }
}

async function seekerProfileJourney(page, base, lang) {
  const label = `${lang} seeker profile`;
  await page.goto(base + "/profile");
  await check(page, `${label} overview`);
  for (const s of ["basic", "disability", "accommodations", "traits", "career", "desired"]) {
    await page.goto(`${base}/profile/${s}`);
    await check(page, `${label} ${s} form`);
  }
  await page.goto(base + "/profile/basic");
  await page.fill("#f-kana", "abc");
  await page.fill("#f-phone", "call me");
  await page.locator("form button.primary").click();
  await page.waitForLoadState();
  await check(page, `${label} basic errors`);
  if ((await page.locator(".error-summary a").count()) < 2) fail(`${label}: expected two errors in the summary`);
  await page.fill("#f-kana", "やまだ");
  await page.fill("#f-phone", "090-1111-2222");
  await page.fill("#f-birth_date", "1999-02-28");
  await page.selectOption("#f-prefecture", "13");
  await page.locator("form button.primary").click();
  // Check your answers before anything is saved.
  await page.waitForURL("**/profile/basic/check");
  await check(page, `${label} basic check answers`);
  if (!((await page.textContent("main")) || "").includes("090-1111-2222")) fail(`${label}: the check page does not show the answers`);
  await page.locator("form button.primary").click();
  await page.waitForURL("**/profile?m=profile-saved**");
  // Keyboard only: change the reading of the name, check and save.
  await page.goto(base + "/profile/basic");
  await fromMain(page, `${label} basic keyboard`);
  await tabTo(page, "#f-kana", `${label} basic keyboard`);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("やまだ たろう");
  await tabTo(page, "form button.primary", `${label} basic keyboard`);
  await Promise.all([page.waitForURL("**/profile/basic/check"), page.keyboard.press("Enter")]);
  await fromMain(page, `${label} basic keyboard`);
  await tabTo(page, "form button.primary", `${label} basic keyboard`);
  await Promise.all([page.waitForURL("**/profile?m=profile-saved**"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after saving`);
  if (!((await page.textContent("main")) || "").includes("やまだ たろう")) fail(`${label}: keyboard edit not saved`);
  await page.goto(base + "/profile/traits");
  await page.locator("#f-text").pressSequentially("本籍は大阪です");
  await page.waitForFunction(() => (document.getElementById("warn-live") || {}).textContent !== "");
  await check(page, `${label} traits live warning`);
  await page.locator("form button.primary").click();
  await page.waitForURL("**/profile/traits/check");
  await check(page, `${label} traits warning`);
  if ((await page.locator("#warnings").count()) !== 1) fail(`${label}: no warning for a forbidden topic`);

  await page.goto(base + "/privacy-settings");
  await check(page, `${label} privacy settings`);
  // Keyboard only: turn scouts on and save.
  await page.locator("h1").click();
  await tabTo(page, "#f-enabled", `${label} privacy keyboard`);
  await page.keyboard.press("Space");
  await tabTo(page, "#scouts button.primary", `${label} privacy keyboard`);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/privacy-settings?m=privacy-saved**");
  if (!(await page.isChecked("#f-enabled"))) fail(`${label}: scouts not turned on by keyboard`);
  const status = (await page.textContent("#status")) || "";
  if (!status.trim()) fail(`${label}: no status message after saving`);
  await check(page, `${label} privacy saved`);
  await page.fill("#f-q", lang !== "en" ? "デモ" : "デモ");
  await page.locator("form[role=search] button").click();
  await page.waitForLoadState();
  await check(page, `${label} company search`);
  await page.fill("#f-code", "WRONGCODE");
  await page.locator("#supporter button.primary").click();
  await page.waitForLoadState();
  await check(page, `${label} facility code error`);
}

async function supporterViewsSeeker(page, base, lang) {
  const label = `${lang} supporter`;
  await setLang(page, base, lang);
  await login(page, base, lang, "supporter@demo.tsunagu.example", `${label} (demo)`);
  await page.goto(base + "/facility");
  await check(page, `${label} facility`);
  await page.locator("main a[href^='/seekers/']").first().click();
  await page.waitForLoadState();
  await check(page, `${label} seeker view`);
  const items = await page.getAttribute("dl.facts", "data-items");
  if (!items || !items.includes("certificate")) fail(`${label}: linked supporter should see the full profile (${items})`);
  await page.locator("a[href*='/draft/desired']").click();
  await page.waitForLoadState();
  await check(page, `${label} draft form`);
  await page.fill("#f-hours_per_week", "many");
  await page.locator("form button.primary").click();
  await page.waitForLoadState();
  await check(page, `${label} draft errors`);
}


// ---------------------------------------------------------------- jobs

// Clicks and waits for the page the click leads to (a form that answers with errors
// stays on the same address, so waiting for a URL would return at once).
async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
}

const J = {
  ja: { search: "この条件で探す", save: "保存する", submitPosting: "保存して審査に出す", approve: "承認して掲載する", ret: "差し戻す", verify: "確認済みにする", report: "運営に送る", saveSearch: "この条件を保存して、新しい求人をお知らせで受け取る" },
  en: { search: "Search", save: "Save", submitPosting: "Save and send for review", approve: "Approve and publish", ret: "Return to the company", verify: "Mark as verified", report: "Send to the operator", saveSearch: "Save this search and get notified of new jobs" },
};
J.easy = { ...J.ja, search: "この 条件で 探す", report: "運営に 送る", saveSearch: "この 条件を 保存する(新しい 仕事が 出たら 知らせます)" };

// Employer: company profile (errors, then saved), a posting refused for an age
// condition, then completed and sent for review. Returns the posting's id.
async function employerJobsJourney(page, base, lang) {
  const label = `${lang} employer jobs`;
  await page.goto(base + "/company");
  await check(page, `${label} company form`);
  // Keyboard only: save empty (errors), fill in, save.
  await fromMain(page, `${label} company keyboard`);
  await tabTo(page, "main form button.primary", `${label} company keyboard`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await check(page, `${label} company errors`);
  if ((await page.locator(".error-summary a").count()) < 3) fail(`${label}: expected company errors`);
  await keyFill(page, [["#f-industry", "it"], ["#f-prefecture", "13"], ["#f-address", "千代田区丸の内1-1-1"], ["#f-contact_department", "人事部"],
    ["#f-contact_phone", "03-1234-5678"], ["#f-contact_email", "hr@example.jp"], ["#f-accommodations-written_instructions", true]], `${label} company keyboard`);
  await tabTo(page, "main form button.primary", `${label} company keyboard`);
  await Promise.all([page.waitForURL("**/company?m=company-saved"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: saving the company is not announced`);
  await check(page, `${label} company saved`);
  await page.goto(base + "/employer/postings");
  await check(page, `${label} postings`);
  await page.goto(base + "/employer/postings/new");
  await check(page, `${label} new posting`);
  // Keyboard only: the title, then every control on the way to "save and send".
  await page.locator("h1").click();
  await tabTo(page, "#f-title", `${label} posting keyboard`);
  await page.keyboard.type(lang !== "en" ? "データ入力（30歳まで）" : "Data entry (under 30)");
  await tabTo(page, "button[value=submit]", `${label} posting keyboard`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await check(page, `${label} posting errors`);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "error-summary") fail(`${label}: focus is not on the error summary (${focused})`);
  if (!(await page.textContent(".error-summary")).includes(lang !== "en" ? "年齢" : "Age")) fail(`${label}: no age-condition error`);
  const fill = { "#f-title": lang !== "en" ? "データ入力スタッフ" : "Data entry staff", "#f-duties": "ZQB1 データ入力などの事務", "#f-duties_change_scope": "会社の定める業務",
    "#f-openings": "1", "#f-probation": "なし", "#f-city": "千代田区", "#f-address": "丸の内1-1-1", "#f-workplace_change_scope": "変更なし",
    "#f-working_hours": "10:00〜15:00", "#f-breaks": "60分", "#f-hours_per_week": "20", "#f-days_per_week": "4", "#f-holidays": "土日祝",
    "#f-overtime": "なし", "#f-wage_min": "1200", "#f-required_skills": "Excel" };
  const entries = [...Object.entries(fill), ["#f-category", "office"], ["#f-prefecture", "13"],
    ...["#f-employment_type-part_time", "#f-contract_type-indefinite", "#f-remote-partial", "#f-smoking-no_smoking_indoor", "#f-wage_unit-hourly", "#f-insurance-employment", "#f-accommodations-quiet_environment"].map((id) => [id, true])];
  await keyFill(page, entries, `${label} posting keyboard`);
  await tabTo(page, "button[value=submit]", `${label} posting keyboard`);
  await Promise.all([page.waitForURL("**/employer/postings?m=posting-submitted"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: sending the posting for review is not announced`);
  await check(page, `${label} posting submitted`);
  const href = await page.locator(".posting-list a[href^='/employer/postings/']").first().getAttribute("href");
  const id = href.split("/").pop();
  await page.goto(`${base}/employer/postings/${id}`);
  await check(page, `${label} posting edit (in review)`);
  await page.goto(`${base}/jobs/${id}`);
  await check(page, `${label} posting preview`);
  return id;
}

// Operator: verify the company, return without a reason (error), approve.
async function operatorJourney(page, base, lang, postingId) {
  const label = `${lang} operator review`;
  await page.goto(base + "/operator");
  await check(page, `${label} queue`);
  // Keyboard only: verify the newest company, then open the posting from the queue.
  const verify = await page.locator("main form[action^='/operator/companies/'][action$='/verify']").last().getAttribute("action");
  await fromMain(page, `${label} keyboard`);
  await tabTo(page, `form[action='${verify}'] button`, `${label} keyboard`);
  await Promise.all([page.waitForURL("**/operator?m=company-verified"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: verifying is not announced`);
  await check(page, `${label} company verified`);
  // The newest support facility waits in the queue too, and is verified the same way.
  const fverify = await page.locator("main form[action^='/operator/facilities/']").last().getAttribute("action");
  await fromMain(page, `${label} keyboard`);
  await tabTo(page, `form[action='${fverify}'] button`, `${label} keyboard`);
  await Promise.all([page.waitForURL("**/operator?m=facility-verified"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: verifying a facility is not announced`);
  await check(page, `${label} facility verified`);
  await fromMain(page, `${label} keyboard`);
  await tabTo(page, `main a[href='/operator/postings/${postingId}']`, `${label} keyboard`);
  await Promise.all([page.waitForURL(`**/operator/postings/${postingId}`), page.keyboard.press("Enter")]);
  await check(page, `${label} posting`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(J[lang].ret) }));
  await check(page, `${label} return errors`);
  await page.locator("h1").click();
  await tabTo(page, `form[action$='/approve'] button`, `${label} keyboard`);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/operator?m=posting-approved");
  const status = (await page.textContent("#status")) || "";
  if (!status.trim()) fail(`${label}: no status message after approving`);
  await check(page, `${label} approved`);
  // Published, its page offers the takedown (not approval); sent without a reason, the
  // error (the posting stays published: later journeys search for it).
  await page.goto(base + `/operator/postings/${postingId}`);
  if ((await page.locator(`form[action$='/approve']`).count()) || !(await page.locator("#h-takedown").count())) fail(`${label}: a published posting does not offer its takedown`);
  await check(page, `${label} published posting`);
  await clickAndLoad(page, page.locator("main form[action$='/return'] button"));
  await page.waitForSelector("#error-summary");
  await check(page, `${label} takedown without a reason`);
  // A person's record opens only for a stated purpose: the note is required (the error
  // on its field), then the record; a suspension without a reason is refused on it (no
  // one is suspended: later journeys sign the demo seeker in).
  await page.goto(base + "/operator/accounts");
  await check(page, `${label} find a person`);
  await page.fill("#f-query", "seeker@demo.tsunagu.example");
  await clickAndLoad(page, page.locator("main form[action='/operator/accounts'] button"));
  await page.waitForSelector("#f-note-error");
  await check(page, `${label} find a person without a reason`);
  await page.fill("#f-note", "ブラウザ試験");
  await clickAndLoad(page, page.locator("main form[action='/operator/accounts'] button"));
  if (!/\/operator\/accounts\/[^/?]+$/.test(page.url())) fail(`${label}: the record did not open (${page.url()})`);
  if (!(((await page.textContent("main")) || "").includes("seeker@demo.tsunagu.example"))) fail(`${label}: the record shows no address`);
  await check(page, `${label} record`);
  await page.fill("#f-suspend-note", "ブラウザ試験");
  await clickAndLoad(page, page.locator("main form[action$='/suspend'] button"));
  await page.waitForSelector("#f-reason-error");
  await check(page, `${label} suspension without a reason`);
  await billingJourney(page, base, label);
  await statisticsJourney(page, base, label);
}

// The privacy officer's statistics (the demo operator holds the role): the tables as
// they stand, published by keyboard; the public release page and the list.
async function statisticsJourney(page, base, label) {
  await page.goto(base + "/operator/statistics");
  await check(page, `${label} statistics`);
  await fromMain(page, `${label} keyboard`);
  await tabTo(page, "main form[action='/operator/statistics'] button", `${label} keyboard`);
  await Promise.all([page.waitForURL("**/statistics/*?m=stats-published"), page.keyboard.press("Enter")]);
  if (!(await page.locator("#notice").count())) fail(`${label}: the release has no notice of its items`);
  await check(page, `${label} statistics published`);
  await page.goto(base + "/statistics");
  await check(page, `${label} statistics list`);
}

// Billing staff (the demo operator holds every role): a plan refused then added, a
// company put on it from last month, last month's invoices issued, one opened, its
// payment recorded. Later languages find the invoices issued already.
async function billingJourney(page, base, label) {
  await page.goto(base + "/operator/billing/plans");
  await check(page, `${label} billing plans`);
  await clickAndLoad(page, page.locator("main form[action='/operator/billing/plans'] button"));
  await page.waitForSelector("#f-name-error");
  await check(page, `${label} plan without a name`);
  await page.fill("#f-name", "ブラウザ試験プラン");
  await page.fill("#f-monthly_fee", "30000");
  await page.fill("#f-success_fee", "100000");
  await clickAndLoad(page, page.locator("main form[action='/operator/billing/plans'] button"));
  if (!page.url().includes("m=billing-plan-created")) fail(`${label}: the plan was not added (${page.url()})`);
  const jst = new Date(Date.now() + 9 * 3600 * 1000);
  const prev = new Date(Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth() - 1, 1));
  const month = `${prev.getUTCFullYear()}-${String(prev.getUTCMonth() + 1).padStart(2, "0")}`;
  await page.selectOption("#f-organization", { index: 1 });
  await page.selectOption("#f-plan", { index: 1 });
  await page.fill("#f-since_month", month);
  // Keyboard only: the set-plan form is sent from its button.
  await tabTo(page, "main form[action='/operator/billing/subscriptions'] button", `${label} keyboard`);
  await Promise.all([page.waitForURL("**/operator/billing/plans?m=billing-plan-set"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: setting a plan is not announced`);
  await check(page, `${label} plan set`);
  await page.goto(base + "/operator/billing");
  await check(page, `${label} billing`);
  await page.fill("#f-month", month);
  await clickAndLoad(page, page.locator("main form[action='/operator/billing/run'] button"));
  if (!(await page.locator("#run-report").count())) fail(`${label}: the run reports nothing`);
  await check(page, `${label} invoices issued`);
  const first = page.locator("main table a[href^='/operator/billing/invoices/']").first();
  if (!(await first.count())) { fail(`${label}: no invoice listed for ${month}`); return; }
  await clickAndLoad(page, first);
  if (!(((await page.textContent("main")) || "").includes("T1234567890123"))) fail(`${label}: the invoice shows no registration number`);
  await check(page, `${label} invoice`);
  if (await page.locator("#f-paid_on").count()) {
    await clickAndLoad(page, page.locator("main form[action$='/paid'] button"));
    if (!page.url().includes("m=billing-paid-done")) fail(`${label}: the payment was not recorded (${page.url()})`);
    await check(page, `${label} invoice paid`);
  }
}

// Anyone: search by keyboard, the result list, a job page with JSON-LD, the company,
// paging, an error state and a report.
async function searchJourney(page, base, lang, postingId) {
  const label = `${lang} job search`;
  await page.goto(base + "/jobs");
  await check(page, `${label} page`);
  await page.locator("h1").click();
  await tabTo(page, "#f-q", `${label} keyboard`);
  await page.keyboard.type("ZQB1 事務");
  await tabTo(page, "form[role=search] button.primary", `${label} keyboard`);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/jobs?q=**");
  await check(page, `${label} results`);
  if ((await page.locator(`a[href='/jobs/${postingId}']`).count()) < 1) fail(`${label}: the new posting is not found by 事務`);
  const count = (await page.textContent("#result-count")) || "";
  if (!count.trim()) fail(`${label}: no result count`);
  // The count and the first results are on the first screen: beside the filters on a
  // laptop (1280 x 800), below the folded filters on a phone (375 x 667).
  for (const [w, h] of [[1280, 800], [375, 667]]) {
    const size = page.viewportSize();
    await page.setViewportSize({ width: w, height: h });
    await page.goto(base + "/jobs");
    const seen = await page.evaluate(() => {
      const top = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().top : Infinity; };
      const f = document.querySelector("details.filters");
      return { count: top("#result-count"), card: top(".job-list > *"), filtersOpen: f ? f.open : null, furigana: document.documentElement.classList.contains("furigana") };
    });
    // On the phone this holds for default text without furigana (readings make lines taller).
    if ((w !== 375 || !seen.furigana) && (seen.count > h || seen.card > h)) fail(`${label}: at ${w}x${h} the count (${Math.round(seen.count)} px) or the first result (${Math.round(seen.card)} px) is below the first screen`);
    if (w === 375 && seen.filtersOpen !== false) fail(`${label}: on a phone the filters are not folded`);
    await page.setViewportSize(size);
  }
  await page.goto(base + "/jobs?acc=written_instructions&acc=quiet_environment&sort=wage");
  await check(page, `${label} accommodation filter`);
  await page.goto(base + "/jobs?page=2");
  await check(page, `${label} page 2`);
  await page.goto(base + "/jobs?hours_max=many&wage_min=x");
  await check(page, `${label} errors`);
  // Keyboard only: from the results to the job page.
  await page.goto(base + "/jobs?q=ZQB1");
  await fromMain(page, `${label} keyboard`);
  await tabTo(page, `main a[href='/jobs/${postingId}']`, `${label} keyboard`);
  await Promise.all([page.waitForURL(`**/jobs/${postingId}`), page.keyboard.press("Enter")]);
  await check(page, `${label} job page`);
  const ld = JSON.parse(await page.locator("script[type='application/ld+json']").textContent());
  for (const k of ["title", "description", "datePosted", "hiringOrganization", "jobLocation", "employmentType", "baseSalary"]) if (!ld[k]) fail(`${label}: JSON-LD lacks ${k}`);
  await clickAndLoad(page, page.locator("main .job-company a"));
  await check(page, `${label} company page`);
  await page.goto(`${base}/jobs/${postingId}/report`);
  await check(page, `${label} report form`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(J[lang].report) }));
  await check(page, `${label} report errors`);
  await page.check("#f-reason-filled");
  await page.getByRole("button", { name: loose(J[lang].report) }).click();
  await page.waitForURL("**/reported");
  await check(page, `${label} report sent`);
}

// The demo seeker: recommendations, saving a search, saved searches; the demo
// employer: recommended candidates.
async function matchingJourney(page, base, lang) {
  const label = `${lang} matching`;
  await setLang(page, base, lang);
  await login(page, base, lang, "seeker@demo.tsunagu.example", `${label} seeker (demo)`);
  await page.goto(base + "/recommendations");
  await check(page, `${label} recommendations`);
  if ((await page.locator(".fit-reasons li").count()) < 1) fail(`${label}: recommendations without reasons`);
  await clickAndLoad(page, page.locator(".job-card a").first());
  await check(page, `${label} job page with fit`);
  // The job applied to is one of the demo company's, so that its board can be opened
  // below (asked of the API as the demo employer).
  const demoLogin = await apiToken(base, "employer@demo.tsunagu.example");
  const { token } = await demoLogin.json();
  const mine = await (await fetch(base + "/api/v1/employer/postings", { headers: { authorization: `Bearer ${token}` } })).json();
  const demoJob = mine.items.find((p) => p.status === "published");
  if (!demoJob) fail(`${label}: the demo company has no published job`);
  const jobUrl = `${base}/jobs/${demoJob && demoJob.id}`;
  // Applying, one question per page: open or closed (with what the company will see),
  // then the message, then the check page. An earlier run's application is withdrawn
  // first (which the list page offers at every stage before the end).
  await page.goto(base + "/applications");
  await check(page, `${label} applications`);
  while ((await page.locator("form[action$='/withdraw'] button").count()) > 0) {
    await clickAndLoad(page, page.locator("form[action$='/withdraw'] button").first());
    if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after withdrawing`);
  }
  await page.goto(jobUrl);
  await clickAndLoad(page, page.locator("a[href$='/apply']"));
  await check(page, `${label} apply: open or closed`);
  if ((await page.locator("details.preview").count()) !== 2) fail(`${label}: the apply page does not preview both choices`);
  await clickAndLoad(page, page.locator("form[action$='/apply/message'] button.primary"));
  await check(page, `${label} apply: nothing chosen`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary when nothing is chosen`);
  await page.locator("#f-openness-open").check();
  await clickAndLoad(page, page.locator("form[action$='/apply/message'] button.primary"));
  await check(page, `${label} apply: message`);
  await page.fill("#f-message", lang !== "en" ? "よろしくお願いいたします。" : "I look forward to hearing from you.");
  // The demo seeker's support facility takes part (it picks an interview time below).
  if (!(await page.locator("#f-supporter_joins").count())) fail(`${label}: the linked supporter is not offered to take part`);
  else await page.locator("#f-supporter_joins").check();
  await clickAndLoad(page, page.locator("form[action$='/apply/check'] button.primary"));
  await check(page, `${label} apply: check`);
  if ((await page.locator("section[aria-labelledby=h-preview] dt").count()) < 3) fail(`${label}: the check page does not show what the company will see`);
  await clickAndLoad(page, page.locator("form[action$='/apply'] button.primary"));
  if (!page.url().includes("/applications?m=application-sent")) fail(`${label}: applying did not reach the list (${page.url()})`);
  await check(page, `${label} applications after applying`);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after applying`);
  await page.goto(base + "/jobs?q=%E4%BA%8B%E5%8B%99&pref=13");
  await page.getByRole("button", { name: loose(J[lang].saveSearch) }).click();
  await page.waitForURL("**/saved-searches?m=search-saved");
  await check(page, `${label} saved searches`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
  await login(page, base, lang, "employer@demo.tsunagu.example", `${label} employer (demo)`);
  await page.goto(base + "/employer/postings");
  await check(page, `${label} demo postings`);
  await clickAndLoad(page, page.locator("a[href$='/candidates']").first());
  await check(page, `${label} candidates`);
  if ((await page.locator("section.candidate").count()) < 1) fail(`${label}: the demo seeker is not a candidate`);
  // The applications board of the job the seeker just applied to (a demo company's):
  // move the application to 書類選考中 with an internal note, by keyboard.
  const jobId = new URL(jobUrl).pathname.split("/").pop();
  await page.goto(`${base}/employer/postings/${jobId}/applications`);
  await check(page, `${label} applications board`);
  const stageSelect = page.locator("select[name=stage]").first();
  if (!(await stageSelect.count())) fail(`${label}: the board shows no application to move`);
  else {
    await stageSelect.selectOption("screening");
    await page.locator("textarea[name=note]").first().fill(lang !== "en" ? "社内メモ: 書類を確認中" : "Internal: reviewing papers");
    await clickAndLoad(page, page.locator("form[action$='/stage'] button").first());
    if (!page.url().includes("m=stage-saved")) fail(`${label}: saving the stage did not return to the board (${page.url()})`);
    await check(page, `${label} applications board after a move`);
  }
  // Selection runs once per language across the two runs of test.sh: Japanese in the
  // journeys run (PostgreSQL), English and easy Japanese in the full matrix (SQLite).
  if (SELECTION_LANGS.includes(lang)) await selectionJourney(page, base, lang, label);
  else await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
}
const SELECTION_LANGS = (process.env.TSUNAGU_BROWSER_MATRIX || "full") === "full" ? ["en", "easy"] : ["ja"];

/// A local time in Japan `days` from now, for <input type="datetime-local">.
function japanTime(days, hour) {
  const t = new Date(Date.now() + 9 * 3600 * 1000 + days * 86400 * 1000);
  return `${t.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

// Selection, keyboard first: the demo employer opens the application from the board and
// proposes interview times with accommodations (which moves it to 面接); the seeker finds
// the interview on the dashboard, picks a time and writes in the 合理的配慮 ledger; the
// supporter taking part picks another time for the seeker; the company records its
// decision in the ledger. Each page through axe and the page checks.
async function selectionJourney(page, base, lang, label) {
  await tabTo(page, "main a[href^='/applications/']", `${label} open the application`);
  await Promise.all([page.waitForURL("**/applications/**"), page.keyboard.press("Enter")]);
  await check(page, `${label} application (company)`);
  const appUrl = page.url().split("?")[0];
  if (!(await page.locator("#h-internal").count())) fail(`${label}: the company does not see its own notes on the application page`);
  await page.fill("#f-slot1-at", japanTime(7, 14));
  await tabTo(page, "#f-slot1-place", `${label} propose`);
  await page.keyboard.type(lang === "en" ? "Head office, room 3" : "本社 3階 会議室");
  await page.fill("#f-slot2-at", japanTime(8, 10));
  await tabTo(page, "#f-slot2-url", `${label} propose`);
  await page.keyboard.type("https://meet.example.jp/interview");
  await tabTo(page, "#f-iacc-supporter_present", `${label} propose`);
  await page.keyboard.press("Space");
  await tabTo(page, "form[action$='/interviews'] button.primary", `${label} propose`);
  await Promise.all([page.waitForURL("**m=interview-proposed"), page.keyboard.press("Enter")]);
  await check(page, `${label} application after proposing`);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after proposing`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));

  // The seeker: the dashboard says what to do; pick the first time by keyboard.
  await signIn(page, base, "seeker@demo.tsunagu.example");
  await page.goto(base + "/dashboard");
  await check(page, `${label} seeker dashboard with an interview`);
  await page.locator("h1").click();
  await tabTo(page, `main a[href='${new URL(appUrl).pathname}']`, `${label} dashboard to the application`);
  await Promise.all([page.waitForURL("**/applications/**"), page.keyboard.press("Enter")]);
  await check(page, `${label} application (seeker)`);
  if (await page.locator("#h-internal").count()) fail(`${label}: the seeker sees the company's internal notes`);
  await tabTo(page, "form[action$='/answer'] input[type=radio]", `${label} pick`);
  await page.keyboard.press("Space");
  await tabTo(page, "form[action$='/answer'] button.primary", `${label} pick`);
  await Promise.all([page.waitForURL("**m=interview-answered"), page.keyboard.press("Enter")]);
  await check(page, `${label} application after picking`);
  const ics = await page.request.get(base + (await page.getAttribute("a[href$='/ics']", "href")));
  if (ics.status() !== 200 || !(ics.headers()["content-type"] || "").startsWith("text/calendar")) fail(`${label}: the calendar file is not served (${ics.status()})`);
  else if (!(await ics.text()).includes("TZID=Asia/Tokyo")) fail(`${label}: the calendar file has no Asia/Tokyo time`);
  await tabTo(page, "#f-req-new", `${label} ledger`);
  await page.keyboard.type(lang === "en" ? "Written instructions help me." : "口頭の指示は覚えにくいので、メモがほしいです。");
  await tabTo(page, "form[action$='/ledger'].card-block button.primary", `${label} ledger`);
  await Promise.all([page.waitForURL("**m=ledger-saved"), page.keyboard.press("Enter")]);
  await check(page, `${label} application with a ledger item`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));

  // The supporter taking part picks the second time for the seeker.
  await signIn(page, base, "supporter@demo.tsunagu.example");
  await page.goto(appUrl);
  await check(page, `${label} application (supporter)`);
  if (await page.locator("#h-internal").count()) fail(`${label}: the supporter sees the company's internal notes`);
  await tabTo(page, "form[action$='/answer'] input[type=radio]", `${label} supporter pick`);
  await page.keyboard.press("ArrowDown");
  await tabTo(page, "form[action$='/answer'] button.primary", `${label} supporter pick`);
  await Promise.all([page.waitForURL("**m=interview-answered"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after the supporter picked`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));

  // The company records its decision on the ledger item.
  await signIn(page, base, "employer@demo.tsunagu.example");
  await page.goto(appUrl);
  await page.locator("input[name=decision][value=provided]").first().check();
  await page.locator("textarea[name=discussion]").first().fill(lang === "en" ? "We will give written instructions." : "指示は毎回メモでお渡しします。");
  await clickAndLoad(page, page.locator("form[action$='/ledger'] button.secondary").first());
  if (!page.url().includes("m=ledger-saved")) fail(`${label}: the decision was not saved (${page.url()})`);
  await check(page, `${label} application with a decision`);
  await page.goto(base + "/employer/scouts?search=1");
  await check(page, `${label} scout search`);
  await messagesJourney(page, base, lang, label, appUrl);
}

/// A local date in Japan `days` from today, YYYY-MM-DD.
function japanDate(days) {
  return new Date(Date.now() + 9 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10);
}

// Messages, keyboard first: the employer (signed in) opens the application's thread
// and replies, then delegates its messaging to the operator for a month; the seeker
// finds the unread thread, replies with a file (a file whose content does not match its
// name is refused, with the text kept), switches message mail off, reads the agency
// note, gives the agency consent on its own screen and withdraws it on the privacy
// page; the operator opens the agency list and the reports. Each page through axe.
async function messagesJourney(page, base, lang, label, appUrl) {
  const l = `${label} messages`;
  await page.goto(appUrl);
  await page.locator("h1").click();
  await tabTo(page, "main a[href^='/messages/']", `${l} application to thread`);
  await Promise.all([page.waitForURL("**/messages/**"), page.keyboard.press("Enter")]);
  await check(page, `${l} thread (company)`);
  const threadUrl = page.url().split("?")[0];
  await tabTo(page, "#f-body", `${l} company reply`);
  await page.keyboard.type(lang === "en" ? "Thank you. See you at the interview." : "ありがとうございます。面接でお会いできるのを楽しみにしています。");
  await tabTo(page, "main form[enctype] button.primary", `${l} company reply`);
  await Promise.all([page.waitForURL("**m=message-sent**"), page.keyboard.press("Enter")]);
  await check(page, `${l} thread after the company wrote`);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${l}: no status message after sending`);
  // The delegation to the operator, by keyboard.
  await page.goto(base + "/company/agency");
  await check(page, `${l} agency delegation`);
  await page.locator("h1").click();
  await tabTo(page, "#f-from", `${l} delegation`);
  await page.fill("#f-from", japanDate(0));
  await page.fill("#f-until", japanDate(1));
  await page.fill("#f-from", japanDate(2));
  await tabTo(page, "form[action='/company/agency'] button.primary", `${l} delegation`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await check(page, `${l} delegation refused (until before from)`);
  if ((await page.locator("#f-until[aria-invalid=true]").count()) !== 1) fail(`${l}: the wrong period is not tied to its field`);
  await page.fill("#f-from", japanDate(0));
  await page.fill("#f-until", japanDate(30));
  await page.locator("#f-until").focus();
  await tabTo(page, "form[action='/company/agency'] button.primary", `${l} delegation`);
  await Promise.all([page.waitForURL("**m=agency-delegated"), page.keyboard.press("Enter")]);
  await check(page, `${l} delegation saved`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));

  // The seeker: the header counts the unread message; reply with a file.
  await signIn(page, base, "seeker@demo.tsunagu.example");
  if (!(await page.locator("nav a[href='/messages'].has-unread").count())) fail(`${l}: the header does not count the unread message`);
  await page.goto(base + "/messages");
  await check(page, `${l} threads (seeker)`);
  await page.goto(threadUrl);
  await check(page, `${l} thread (seeker)`);
  if (!(await page.locator(".agency-note").count())) fail(`${l}: the seeker is not told of the delegation`);
  const typed = lang === "en" ? "Here is my CV." : "履歴書を送ります。よろしくお願いいたします。";
  await page.locator("h1").click();
  await tabTo(page, "#f-body", `${l} seeker reply`);
  await page.keyboard.type(typed);
  await page.setInputFiles("#f-attachments", { name: "cv.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf at all") });
  await tabTo(page, "main form[enctype] button.primary", `${l} seeker reply`);
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  await check(page, `${l} forged file refused`);
  if ((await page.inputValue("#f-body")) !== typed) fail(`${l}: the message typed was lost when the file was refused`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${l}: focus is not on the error summary`);
  await page.setInputFiles("#f-attachments", { name: "memo.txt", mimeType: "text/plain", buffer: Buffer.from("面接で伝えたいこと: 指示はメモでお願いします。") });
  await page.locator("#f-attachments").focus();
  await tabTo(page, "main form[enctype] button.primary", `${l} seeker reply`);
  await Promise.all([page.waitForURL("**m=message-sent**"), page.keyboard.press("Enter")]);
  await check(page, `${l} thread with a file`);
  const file = page.locator(".message.mine .files a").last();
  if (!(await file.count())) fail(`${l}: the file is not listed`);
  else {
    const r = await page.request.get(base + (await file.getAttribute("href")));
    if (r.status() !== 200 || !(r.headers()["content-disposition"] || "").startsWith("attachment")) fail(`${l}: the file is not downloadable (${r.status()})`);
  }
  // The notification centre and the mail switch for messages, by keyboard.
  await page.goto(base + "/notifications");
  await check(page, `${l} notification centre`);
  await page.goto(base + "/notifications/settings");
  await check(page, `${l} notification settings`);
  await page.locator("h1").click();
  await tabTo(page, "#f-email-messages", `${l} settings`);
  // Off by keyboard (an earlier language's run may have switched it off already).
  if (await page.locator("#f-email-messages").isChecked()) await page.keyboard.press("Space");
  await tabTo(page, "form[action='/notifications/settings'] button.primary", `${l} settings`);
  await Promise.all([page.waitForURL("**m=settings-saved"), page.keyboard.press("Enter")]);
  await check(page, `${l} notification centre after saving`);
  await page.goto(base + "/notifications/settings");
  if (await page.locator("#f-email-messages").isChecked()) fail(`${l}: message mail is still on`);
  // The agency consent: its own screen, given, then withdrawn on the privacy page.
  await page.goto(threadUrl);
  await page.locator("h1").click();
  await tabTo(page, ".agency-note a", `${l} agency note`);
  await Promise.all([page.waitForURL("**/privacy-settings/agency/**"), page.keyboard.press("Enter")]);
  await check(page, `${l} agency consent screen`);
  await tabTo(page, "main form button.primary", `${l} agency consent`);
  await Promise.all([page.waitForURL("**m=privacy-agency-given**"), page.keyboard.press("Enter")]);
  await check(page, `${l} privacy settings with the agency consent`);
  await page.locator("h1").click();
  await tabTo(page, "#agency form button", `${l} agency withdraw`);
  await Promise.all([page.waitForURL("**m=privacy-agency-withdrawn**"), page.keyboard.press("Enter")]);
  await check(page, `${l} privacy settings after withdrawing`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));

  // The operator's agency list and the reports.
  await signIn(page, base, "operator@demo.tsunagu.example");
  await page.goto(base + "/operator/agency");
  await check(page, `${l} agency threads (operator)`);
  // The company delegated above: the agency scouts in its name, reached by keyboard.
  await page.locator("h1").click();
  await tabTo(page, "main a[href^='/operator/agency/companies/']", `${l} agency company`);
  await Promise.all([page.waitForURL("**/operator/agency/companies/**"), page.keyboard.press("Enter")]);
  await check(page, `${l} agency scout search (operator)`);
  await tabTo(page, "main form[method='get'] button.primary", `${l} agency scout search`);
  await Promise.all([page.waitForURL("**search=1**"), page.keyboard.press("Enter")]);
  await check(page, `${l} agency scout results (operator)`);
  await page.goto(base + "/operator/message-reports");
  await check(page, `${l} message reports (operator)`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
}

// The demo worker's daily check-in: by keyboard alone, an error tied to its field, the
// answers kept while offline and sent once when the connection returns; the history;
// and the check-ins as the linked supporter sees them.
async function checkInJourney(page, ctx, base, lang, offline) {
  const label = `${lang} check-in`;
  await setLang(page, base, lang);
  await signIn(page, base, "worker@demo.tsunagu.example");
  if ((await uiLang(page)) !== lang) {
    await page.locator(`.lang-switch button[value=${lang}]`).click();
    await page.waitForURL("**/dashboard");
  }
  await page.goto(base + "/check-in");
  await check(page, `${label} today`);
  if (((await page.textContent("main")) || "").includes("障害")) fail(`${label}: the worker's page says 障害`);
  await page.locator("h1").click();
  for (const group of ["attendance", "health", "mood"]) {
    await tabTo(page, `input[name=${group}]`, `${label} keyboard ${group}`);
    await page.keyboard.press("Space");
    if (!(await page.locator(`input[name=${group}]:checked`).count())) fail(`${label}: ${group} not chosen by keyboard`);
  }
  await tabTo(page, "#f-want_to_talk", `${label} keyboard talk`);
  await page.keyboard.press("Space");
  await tabTo(page, "form.check-in button.primary", `${label} keyboard save`);
  await Promise.all([page.waitForURL("**m=check-in-saved**"), page.keyboard.press("Enter")]);
  await check(page, `${label} saved`);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after saving`);
  // A finishing time before the start: the form comes back with the message on it.
  await page.fill("#f-clock_in", "16:00");
  await page.fill("#f-clock_out", "09:00");
  await Promise.all([page.waitForLoadState("load"), page.locator("form.check-in button.primary").click()]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} error`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary`);
  await page.fill("#f-clock_in", "09:00");
  await page.fill("#f-clock_out", "15:00");
  if (offline) {
    // Offline: the answers stay on the device, and go once the connection is back.
    const note = lang !== "en" ? `電波が弱い日 ${Date.now()}` : `Weak signal ${Date.now()}`;
    await page.fill("#f-note", note);
    await ctx.setOffline(true);
    await page.locator("form.check-in button.primary").click();
    await page.waitForFunction(() => (document.getElementById("offline-status") || {}).textContent);
    await check(page, `${label} kept offline`);
    await ctx.setOffline(false);
    await page.waitForURL("**m=check-in-saved**", { timeout: 15000 });
    const login = await apiToken(base, "worker@demo.tsunagu.example");
    const { token } = await login.json();
    const mine = await (await fetch(base + "/api/v1/me/daily-reports", { headers: { authorization: `Bearer ${token}` } })).json();
    const saved = mine.reports.filter((r) => r.note === note);
    if (saved.length !== 1) fail(`${label}: the offline check-in arrived ${saved.length} times`);
    if (await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("tsunagu-check-in")).length)) fail(`${label}: the kept answers were not cleared`);
  } else {
    await Promise.all([page.waitForURL("**m=check-in-saved**"), page.locator("form.check-in button.primary").click()]);
  }
  await page.goto(base + "/check-in/history");
  await check(page, `${label} history week`);
  if ((await page.locator("main table tbody tr").count()) < 2) fail(`${label}: the week shows fewer than two days`);
  await page.goto(base + "/check-in/history?view=month");
  await check(page, `${label} history month`);
  await page.goto(base + "/check-in/support");
  await check(page, `${label} support records and comments`);
  const login = await apiToken(base, "worker@demo.tsunagu.example");
  const { token } = await login.json();
  const mine = await (await fetch(base + "/api/v1/me/daily-reports", { headers: { authorization: `Bearer ${token}` } })).json();
  const job = mine.work_places[0].employment_id;
  // The month's support report as the worker reads it (a draft until the supporter saves).
  await page.goto(`${base}/employments/${job}/monthly`);
  await check(page, `${label} monthly report as the worker reads it`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
  await signIn(page, base, "supporter@demo.tsunagu.example");
  await page.goto(`${base}/employments/${job}/check-ins`);
  await check(page, `${label} as the supporter sees it`);
  // The chart is an image named by its text summary, with its numbers in a table:
  // both in the accessibility tree.
  const summary = ((await page.textContent("#chart-summary")) || "").trim();
  if (!summary) fail(`${label}: the chart has no text summary`);
  if ((await page.getByRole("img", { name: summary }).count()) !== 1) fail(`${label}: the chart is not an image named by its summary`);
  // (Found by its role and its caption element: under furigana the name's spacing
  // around readings differs from the text.)
  const chartTable = page.getByRole("table").filter({ has: page.locator("caption#h-chart") });
  if ((await chartTable.count()) !== 1) fail(`${label}: the chart's table is not a table with its caption in the accessibility tree`);
  if ((await chartTable.locator("tbody tr").count()) < 2) fail(`${label}: the chart's table has fewer than two rows`);
  // A support record sent without its kind: the error summary takes focus, the field
  // is named; then an alert acknowledged by keyboard alone, its status announced.
  const recordForm = page.locator('form[action$="/support-records"]').last();
  await recordForm.locator("textarea[name=done]").fill("電話で様子を聞いた");
  await clickAndLoad(page, recordForm.locator("button[type=submit]"));
  await check(page, `${label} support record error`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary after a refused record`);
  if ((await page.inputValue('form[action$="/support-records"] >> nth=-1 >> textarea[name=done]')) !== "電話で様子を聞いた") fail(`${label}: the typed record was lost`);
  const ack = page.locator('form[action^="/alerts/"]');
  if (await ack.count()) {
    await ack.first().locator("textarea").focus();
    await page.keyboard.type("電話しました");
    await page.keyboard.press("Tab");
    await Promise.all([page.waitForURL("**m=staff-alert-acked**"), page.keyboard.press("Enter")]);
    if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status after acknowledging an alert`);
    await check(page, `${label} alert acknowledged`);
  }
  await page.goto(`${base}/employments/${job}/monthly`);
  await check(page, `${label} monthly report draft for the supporter`);
  await page.goto(`${base}/facility/retention`);
  await check(page, `${label} facility retention figures`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
  // The follow-up person at the company sees the summary, the alerts that reached them,
  // the comment thread, and the company's retention figures.
  await signIn(page, base, "employer@demo.tsunagu.example");
  await page.goto(`${base}/employments/${job}/check-ins`);
  await check(page, `${label} as the follow-up person sees it`);
  await page.goto(`${base}/employer/retention`);
  await check(page, `${label} company retention figures`);
  await clickAndLoad(page, page.getByRole("button", { name: loose(T[lang].logout) }));
}

// Pages everyone can open, and the demo seeker's own pages.
// 開示 and 退会, keyboard only: the seeker receives their data (an error on the password
// first, then the readable page and the JSON download), then closes the account (an
// error first); afterwards the session has ended.
async function rightsJourney(page, base, lang, email, name) {
  const label = `${lang} rights`;
  await page.goto(base + "/login");
  await page.fill("#f-email", email);
  await page.fill("#f-password", PW);
  await Promise.all([page.waitForURL("**/dashboard"), page.locator("main form button.primary").click()]);
  await page.goto(base + "/account");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/account/data']", label);
  await Promise.all([page.waitForURL("**/account/data"), page.keyboard.press("Enter")]);
  await check(page, `${label} data form`);
  await fromMain(page, label);
  await keyFill(page, [["#f-format-page", true], ["#f-password", "wrong password"]], label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} data form error`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary after a wrong password`);
  await keyFill(page, [["#f-format-page", true], ["#f-password", PW]], label);
  await Promise.all([page.waitForSelector("main .data-pair"), page.keyboard.press("Enter")]);
  await check(page, `${label} data view`);
  if (!((await page.textContent("main")) || "").includes(name)) fail(`${label}: the readable data does not hold the name`);
  await page.goto(base + "/account/data");
  await fromMain(page, label);
  await keyFill(page, [["#f-format-json", true], ["#f-password", PW]], label);
  const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
  if (!download.suggestedFilename().endsWith(".json")) fail(`${label}: the download is ${download.suggestedFilename()}`);
  const file = await download.path();
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (doc.format !== "tsunagu-export/1" || doc.account?.email !== email) fail(`${label}: the JSON download is not the account's data`);

  // The requests page: a correction without its detail is refused on the field.
  await page.goto(base + "/account");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/account/requests']", label);
  await Promise.all([page.waitForURL("**/account/requests"), page.keyboard.press("Enter")]);
  await check(page, `${label} requests`);
  await fromMain(page, label);
  await keyFill(page, [["#f-kind-correction", true], ["#f-password", PW]], label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} request errors`);
  await keyFill(page, [["#f-kind-correction", true], ["#f-detail", lang !== "en" ? "支援記録の日付が違います" : "The date of a support record is wrong"], ["#f-password", PW]], label);
  await tabTo(page, "main form button.primary", label);
  await Promise.all([page.waitForURL("**/account/requests?m=rights-filed**"), page.keyboard.press("Enter")]);
  await check(page, `${label} request filed`);

  await page.goto(base + "/account");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/account/close']", label);
  await Promise.all([page.waitForURL("**/account/close"), page.keyboard.press("Enter")]);
  await check(page, `${label} close form`);
  await fromMain(page, label);
  await keyFill(page, [["#f-password", "wrong password"]], label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} close form error`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary after a wrong password`);
  await keyFill(page, [["#f-password", PW]], label);
  await Promise.all([page.waitForURL("**/closed"), page.keyboard.press("Enter")]);
  await check(page, `${label} closed`);
  await page.goto(base + "/account");
  if (new URL(page.url()).pathname === "/account") fail(`${label}: still signed in after closing the account`);
}

// The privacy officer grants an erasure, keyboard only: a seeker (registered and
// filing through the API) asks; the demo operator (privacy officer among its roles)
// finds the request in the queue, tries to refuse without a reason (the error), then
// grants it; the seeker's token no longer works.
async function officerJourney(page, base, lang, tag) {
  const label = `${lang} privacy officer`;
  const api = async (method, p, token, body) => {
    const r = await fetch(base + p, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const email = `erase-${tag}@example.jp`;
  let r = await api("POST", "/api/v1/auth/register", null, { kind: "seeker", email, password: PW, name: "消去 希望", consents: ["privacy_policy"] });
  if (r.status !== 201) fail(`${label}: registration ${r.status}`);
  await confirmByApi(base, email);
  const tok = (await api("POST", "/api/v1/auth/login", null, { email, password: PW })).json.token;
  r = await api("POST", "/api/v1/me/requests", tok, { kind: "erasure", detail: "すべて消してください", password: PW });
  if (r.status !== 201) fail(`${label}: filing ${r.status}`);
  await signIn(page, base, "operator@demo.tsunagu.example");
  await page.goto(base + "/operator");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/operator/requests']", label);
  await Promise.all([page.waitForURL("**/operator/requests"), page.keyboard.press("Enter")]);
  await check(page, `${label} queue`);
  await fromMain(page, label);
  await tabTo(page, `main a[href='/operator/requests/${r.json.request_id}']`, label);
  await Promise.all([page.waitForURL(`**/operator/requests/${r.json.request_id}`), page.keyboard.press("Enter")]);
  await check(page, `${label} request`);
  if (!((await page.textContent("main")) || "").includes(email)) fail(`${label}: the request does not say who asked`);
  await fromMain(page, label);
  await keyFill(page, [["#f-decision-refuse", true]], label);
  await tabTo(page, "main form button.primary", label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} refusal without a reason`);
  await keyFill(page, [["#f-decision-grant", true], ["#f-reply", "消去しました"]], label);
  await tabTo(page, "main form button.primary", label);
  await Promise.all([page.waitForURL("**/operator/requests?m=rights-decided"), page.keyboard.press("Enter")]);
  await check(page, `${label} decided`);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: no status message after deciding`);
  if ((await api("GET", "/api/v1/me", tok)).status !== 401) fail(`${label}: the erased account still signs in`);

  // The access log: the chain checked; a search without its purpose (the error on the
  // field), then with it, by keyboard: the erased person's entries, ids only.
  await page.goto(base + "/operator");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/operator/audit']", label);
  await Promise.all([page.waitForURL("**/operator/audit"), page.keyboard.press("Enter")]);
  await check(page, `${label} access log`);
  await clickAndLoad(page, page.locator("main form[action='/operator/audit/verify'] button"));
  if (!(await page.locator("#chain-result").count())) fail(`${label}: the chain check shows no result`);
  await check(page, `${label} access log checked`);
  await fromMain(page, label);
  await keyFill(page, [["#f-action", "rights_request."]], label);
  await tabTo(page, "main form[action='/operator/audit'] button.primary", label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} access log search without a purpose`);
  await fromMain(page, label);
  await keyFill(page, [["#f-purpose", lang !== "en" ? "請求の対応の確認" : "Checking the request"]], label);
  await tabTo(page, "main form[action='/operator/audit'] button.primary", label);
  await Promise.all([page.waitForURL((u) => u.pathname === "/operator/audit" && !!u.searchParams.get("purpose")), page.keyboard.press("Enter")]);
  if (!(await page.locator("#h-found").count())) fail(`${label}: the search shows no result count`);
  await check(page, `${label} access log found`);

  // The incident register: a new incident refused without its fields, then recorded by
  // keyboard; its page says it must be reported.
  await page.goto(base + "/operator");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/operator/incidents']", label);
  await Promise.all([page.waitForURL("**/operator/incidents"), page.keyboard.press("Enter")]);
  await check(page, `${label} incidents`);
  await fromMain(page, label);
  await keyFill(page, [["#f-summary", lang !== "en" ? "支援記録の誤送信" : "A support record sent to the wrong facility"]], label);
  await tabTo(page, "main form[action='/operator/incidents'] button.primary", label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} incident errors`);
  await keyFill(page, [["#f-kinds-sensitive", true], ["#f-cause-misdelivery", true]], label);
  await page.fill("#f-found_at", "2026-12-01T10:00");
  await tabTo(page, "main form[action='/operator/incidents'] button.primary", label);
  await Promise.all([page.waitForURL("**/operator/incidents/*"), page.keyboard.press("Enter")]);
  await check(page, `${label} incident`);
  if (!(await page.locator("#h-assess ~ p strong").count())) fail(`${label}: the incident page does not say whether to report`);
  await page.getByRole("button", { name: loose(T[lang].logout) }).click();
  await page.waitForLoadState();
}

// A software authenticator (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits) for a
// Base32 key as the security page shows it.
function totpCode(key, at = Date.now() / 1000) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of key.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const bytes = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = crypto.createHmac("sha1", bytes).update(counter).digest();
  const o = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

// A new policy version, keyboard only. Run last: it holds everyone who consented to an
// earlier version. The privacy officer's page (sent empty: the errors), a version that
// needs consent published; the demo seeker signs in and is sent to the decision page
// (checked in each language of the run), declines (still held, told so), then
// consents and goes on; the version's own page and the privacy page show its text.
async function policyJourney(browser, srv, langs) {
  const base = srv.base;
  const label = "policy";
  const { ctx, page } = await newPage(browser, "ja-JP");
  await setLang(page, base, "ja");
  await signIn(page, base, "operator@demo.tsunagu.example");
  await page.goto(base + "/operator");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/operator/policy']", label);
  await Promise.all([page.waitForURL("**/operator/policy"), page.keyboard.press("Enter")]);
  await check(page, `${label} officer page`);
  await clickAndLoad(page, page.locator("main form[action='/operator/policy'] button.primary"));
  await page.waitForSelector("#error-summary");
  await check(page, `${label} officer page errors`);
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== "error-summary") fail(`${label}: focus is not on the error summary`);
  await fromMain(page, label);
  await keyFill(page, [
    ["#f-version", "2027-04-01"],
    ["#f-summary_ja", "利用目的に統計の作成を加えます。"],
    ["#f-summary_easy", "数字を まとめる ために 使います。"],
    ["#f-text_ja", "本方針は、個人情報の取扱いを定めます。"],
    ["#f-text_easy", "個人情報の 使いかたの 決まりです。"],
    ["#f-requires_consent", true],
  ], label);
  await tabTo(page, "main form[action='/operator/policy'] button.primary", label);
  await Promise.all([page.waitForURL("**/operator/policy?asked=**"), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: publishing is not announced`);
  await check(page, `${label} published`);
  await ctx.close();

  for (const lang of langs) {
    const { ctx, page } = await newPage(browser, lang !== "en" ? "ja-JP" : "en-US");
    await setLang(page, base, lang);
    await page.goto(base + "/login");
    await page.fill("#f-email", "seeker@demo.tsunagu.example");
    await page.fill("#f-password", "tsunagu-demo-2026");
    await Promise.all([page.waitForURL("**/policy-update"), page.locator("main form button.primary").click()]);
    await check(page, `${lang} ${label} decision page`);
    await page.goto(base + "/privacy/versions/privacy_policy/2027-04-01");
    await check(page, `${lang} ${label} version page`);
    if (lang === langs[langs.length - 1]) {
      // Decline, keyboard only: still held, and told so.
      await page.goto(base + "/policy-update");
      await fromMain(page, label);
      await tabTo(page, "main form.decision button[value=decline]", label);
      await Promise.all([page.waitForURL("**/policy-update?m=policy-declined"), page.keyboard.press("Enter")]);
      if (!(await page.locator("#declined-1").count())) fail(`${label}: declining is not explained`);
      await check(page, `${lang} ${label} declined`);
      await page.goto(base + "/profile");
      if (new URL(page.url()).pathname !== "/policy-update") fail(`${label}: the profile opened before a decision`);
      await fromMain(page, label);
      await tabTo(page, "main form.decision button[value=agree]", label);
      await Promise.all([page.waitForURL("**/dashboard?m=policy-decided"), page.keyboard.press("Enter")]);
      if (!((await page.textContent("#status")) || "").trim()) fail(`${label}: the decision is not announced`);
      await page.goto(base + "/privacy");
      // Easy Japanese readers get the easy text; the others the Japanese one.
      const expected = lang === "easy" ? "個人情報の 使いかたの 決まりです。" : "本方針は、個人情報の取扱いを定めます。";
      if (!((await page.textContent("main")) || "").replace(/\s+/g, " ").includes(expected)) fail(`${label}: the privacy page does not show the new text`);
      await check(page, `${lang} ${label} privacy page`);
    }
    await ctx.close();
  }
}

// Two-step verification, keyboard only: a new seeker sets up an authenticator on the
// security page (a wrong code first), keeps the recovery codes, signs out, and signs in
// again through the code step (a wrong code, then the app's next code); the account page
// says how the session was signed in.
async function securityJourney(page, base, lang, tag) {
  const label = `${lang} security`;
  const email = `totp-${tag}@example.jp`;
  const r = await fetch(base + "/api/v1/auth/register", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "seeker", email, password: PW, name: "二段 認証", consents: ["privacy_policy"] }) });
  if (r.status !== 201) fail(`${label}: registration ${r.status}`);
  await confirmByApi(base, email);
  await page.goto(base + "/login");
  await page.fill("#f-email", email);
  await page.fill("#f-password", PW);
  await Promise.all([page.waitForURL("**/dashboard"), page.locator("main form button.primary").click()]);
  await page.goto(base + "/account");
  await fromMain(page, label);
  await tabTo(page, "main a[href='/account/security']", label);
  await Promise.all([page.waitForURL("**/account/security"), page.keyboard.press("Enter")]);
  await check(page, `${label} page`);
  await fromMain(page, label);
  await keyFill(page, [["#f-password", PW]], label);
  await Promise.all([page.waitForURL("**/account/security**"), page.keyboard.press("Enter")]);
  await page.waitForSelector("#totp-secret");
  await check(page, `${label} setting up`);
  const key = ((await page.textContent("#totp-secret")) || "").trim();
  // (The answer opens at the set-up steps, #setup: the next Tab reaches the code field.)
  await keyFill(page, [["#f-code", "000000" === totpCode(key) ? "111111" : "000000"]], label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} wrong code`);
  await keyFill(page, [["#f-code", totpCode(key)]], label);
  await Promise.all([page.waitForSelector("ol.recovery-codes"), page.keyboard.press("Enter")]);
  await check(page, `${label} recovery codes`);
  if ((await page.locator("ol.recovery-codes li").count()) !== 10) fail(`${label}: not ten recovery codes`);
  await page.getByRole("button", { name: loose(T[lang].logout) }).click();
  await page.waitForLoadState();
  await page.goto(base + "/login");
  await fromMain(page, label);
  await keyFill(page, [["#f-email", email], ["#f-password", PW]], label);
  await Promise.all([page.waitForURL("**/login/code"), page.keyboard.press("Enter")]);
  await check(page, `${label} code step`);
  await fromMain(page, label);
  await keyFill(page, [["#f-code", "12345"]], label);
  await Promise.all([page.waitForLoadState(), page.keyboard.press("Enter")]);
  await page.waitForSelector("#error-summary");
  await check(page, `${label} code step error`);
  // The code of the next step: the one that confirmed the app is taken once only.
  await keyFill(page, [["#f-code", totpCode(key, Date.now() / 1000 + 30)]], label);
  await Promise.all([page.waitForURL("**/dashboard"), page.keyboard.press("Enter")]);
  await page.goto(base + "/account");
  const words = lang === "en" ? "Password and authenticator app" : lang === "easy" ? "パスワードと アプリ" : "パスワードと認証アプリ";
  if (!((await page.textContent("#sessions")) || "").includes(words)) fail(`${label}: the session does not say it was signed in with the app`);
  await page.getByRole("button", { name: loose(T[lang].logout) }).click();
  await page.waitForLoadState();
}

function sweepPages(postingId) {
  return ["/", "/jobs", "/jobs?q=%E4%BA%8B%E5%8B%99", `/jobs/${postingId}`, "/jobs?hours_max=many", "/login", "/register", "/register/seeker", "/privacy", "/accessibility", "/settings/display"];
}
const SEEKER_PAGES = ["/dashboard", "/account", "/account/email", "/scouts", "/profile", "/profile/basic", "/profile/desired", "/privacy-settings", "/recommendations", "/saved-searches", "/invitations", "/applications", "/messages", "/notifications", "/notifications/settings"];

// Display settings chosen by keyboard (largest text, high contrast, reduced motion,
// wide spacing); then every page again: axe (contrast in the high-contrast theme),
// reflow at 320 px with 200 % text, one h1. Signed in, the choice follows the account.
async function displaySweep(browser, srv, postingId) {
  const { ctx, page } = await newPage(browser, "ja-JP");
  await page.goto(srv.base + "/settings/display");
  await check(page, "display settings");
  await page.locator("h1").click();
  for (const [group, steps] of [["size", 3], ["contrast", 1], ["motion", 1], ["spacing", 1]]) {
    await tabTo(page, `#f-${group}-0`, "display settings keyboard");
    for (let i = 0; i < steps; i++) await page.keyboard.press("ArrowDown");
  }
  await tabTo(page, "form button.primary", "display settings keyboard");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  if (!((await page.textContent("#status")) || "").trim()) fail("display settings: no status message after saving");
  const cls = await page.getAttribute("html", "class");
  if (cls !== "ts-3 hc rm ls") fail(`display settings: classes are ${cls}`);
  await check(page, "display settings saved");
  for (const p of sweepPages(postingId)) {
    await page.goto(srv.base + p);
    await check(page, `display (200%, high contrast) ${p}`);
  }
  await login(page, srv.base, "ja", "seeker@demo.tsunagu.example", "display seeker (demo)");
  for (const p of [...SEEKER_PAGES, `/jobs/${postingId}/apply`]) {
    await page.goto(srv.base + p);
    await check(page, `display (200%, high contrast) ${p}`);
  }
  // The worker's check-in with the largest text (the reflow check runs at 320 px).
  await clickAndLoad(page, page.getByRole("button", { name: loose(T.ja.logout) }));
  await signIn(page, srv.base, "worker@demo.tsunagu.example");
  for (const p of ["/check-in", "/check-in/history", "/check-in/support", "/privacy-settings"]) {
    await page.goto(srv.base + p);
    await check(page, `display (200%, high contrast) worker ${p}`);
  }
  await ctx.close();
}

// Every page with furigana on in Japanese and with furigana off in easy Japanese
// (the journeys above cover Japanese off and easy Japanese on).
async function furiganaSweep(browser, srv, postingId) {
  for (const [lang, on] of [["ja", true], ["easy", false]]) {
    const { ctx, page } = await newPage(browser, "ja-JP");
    await setLang(page, srv.base, lang);
    await setFurigana(page, srv.base, on, `${lang} furigana sweep`);
    for (const p of sweepPages(postingId)) {
      await page.goto(srv.base + p);
      await check(page, `${lang} furigana ${on ? "on" : "off"} ${p}`);
    }
    await login(page, srv.base, lang, "seeker@demo.tsunagu.example", `${lang} furigana seeker (demo)`);
    for (const p of [...SEEKER_PAGES, `/jobs/${postingId}/apply`]) {
      await page.goto(srv.base + p);
      await check(page, `${lang} furigana ${on ? "on" : "off"} ${p}`);
    }
    await ctx.close();
  }
}

async function main() {
  const srv = await startServer();
  serverDir = srv.dir;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    let lastPosting = null;
    const matrix = process.env.TSUNAGU_BROWSER_MATRIX || "full";
    if (!["full", "journeys"].includes(matrix)) throw new Error(`TSUNAGU_BROWSER_MATRIX=${matrix}: full or journeys`);
    console.log(`browser suite: matrix ${matrix} on ${process.env.TSUNAGU_TEST_BACKEND || "sqlite"}`);
    // Japanese, English, and easy Japanese with furigana on.
    for (const lang of matrix === "full" ? ["ja", "en", "easy"] : ["ja"]) {
      const { ctx, page } = await newPage(browser, lang !== "en" ? "ja-JP" : "en-US");
      const tag = `${lang}${Date.now()}`;
      if (lang === "easy") {
        await setLang(page, srv.base, "easy");
        await setFurigana(page, srv.base, true, "easy");
        // The accessible name of a control is its text read once, readings aside.
        if ((await page.getByRole("link", { name: loose("仕事を 探す") }).count()) < 1) fail("easy: the jobs link's accessible name is not its plain text under furigana");
      }

      // Seeker: registers, fills the profile, sets privacy, invites a family member.
      await registerJourney(page, srv, lang, "seeker", `seeker-${tag}@example.jp`);
      await seekerProfileJourney(page, srv.base, lang);
      await inviteAndAccept(browser, srv, page, lang, "family", `family-${tag}@example.jp`, { select: "#f-relation", value: "mother" });
      timed(`${lang} seeker registers, fills the profile, invites family`);
      await page.goto(srv.base + "/account");
      await check(page, `${lang} seeker account with family`);
      await page.getByRole("button", { name: loose(T[lang].logout) }).click();
      await page.waitForLoadState();

      // Employer: registers the company, invites a recruiter who joins.
      await registerJourney(page, srv, lang, "employer", `employer-${tag}@example.jp`, lang !== "en" ? "試験株式会社" : "Test Co.");
      await inviteAndAccept(browser, srv, page, lang, "recruiter", `recruiter-${tag}@example.jp`, { select: "#f-role", value: "recruiter" });
      const postingId = await employerJobsJourney(page, srv.base, lang);
      lastPosting = postingId;
      timed(`${lang} employer registers, invites, posts`);
      await page.getByRole("button", { name: loose(T[lang].logout) }).click();
      await page.waitForLoadState();

      // Supporter: registers the facility, invites staff.
      await registerJourney(page, srv, lang, "supporter", `supporter-${tag}@example.jp`, lang !== "en" ? "試験支援センター" : "Test Support Centre");
      await inviteAndAccept(browser, srv, page, lang, "staff", `staff-${tag}@example.jp`, { select: "#f-role", value: "facility_staff" });
      await linkSeekerJourney(page, srv.base, lang, `seeker-${tag}@example.jp`, `supporter-${tag}@example.jp`);
      timed(`${lang} supporter registers, invites, links`);
      await page.getByRole("button", { name: loose(T[lang].logout) }).click();
      await page.waitForLoadState();

      // Supporter of the demo seeker: facility page and the seeker's profile.
      await supporterViewsSeeker(page, srv.base, lang);
      timed(`${lang} supporter views the demo seeker`);
      await page.getByRole("button", { name: loose(T[lang].logout) }).click();
      await page.waitForLoadState();

      // Operator (created by `tsunagu demo`).
      await setLang(page, srv.base, lang);
      await login(page, srv.base, lang, "operator@demo.tsunagu.example", `${lang} operator`);
      await operatorJourney(page, srv.base, lang, postingId);
      timed(`${lang} operator`);
      await page.getByRole("button", { name: loose(T[lang].logout) }).click();
      await page.waitForLoadState();

      // The demo worker's check-in (offline once per run).
      await checkInJourney(page, ctx, srv.base, lang, lang === "ja" || lang === "en");
      timed(`${lang} check-in`);

      // Anyone: search and the job page; then matching for the demo seeker and employer.
      await searchJourney(page, srv.base, lang, postingId);
      timed(`${lang} search`);
      await matchingJourney(page, srv.base, lang);
      timed(`${lang} matching`);

      // The seeker of this run receives their data, files a request, then closes the
      // account; the privacy officer grants another seeker's erasure.
      await securityJourney(page, srv.base, lang, tag);
      timed(`${lang} security`);
      await setLang(page, srv.base, lang);
      await rightsJourney(page, srv.base, lang, `seeker-${tag}@example.jp`, lang !== "en" ? "試験 太郎" : "Test Taro");
      timed(`${lang} rights`);
      await setLang(page, srv.base, lang);
      await officerJourney(page, srv.base, lang, tag);
      timed(`${lang} privacy officer`);

      // Other pages and error states.
      for (const [p, label] of [["/password-reset", "reset"], ["/privacy", "privacy"], ["/no-such-page", "404"], ["/password-reset/not-a-token", "reset invalid"], ["/invite/not-a-token", "invitation invalid"]]) {
        await page.goto(srv.base + p);
        await check(page, `${lang} ${label}`);
      }
      // The accessibility statement and its report form (empty, then sent).
      await page.goto(srv.base + "/accessibility");
      await check(page, `${lang} accessibility statement`);
      await clickAndLoad(page, page.locator("#report button.primary"));
      await check(page, `${lang} accessibility report errors`);
      await page.fill("#f-description", lang !== "en" ? "検索ボタンが読み上げられません" : "The search button is not announced");
      await page.locator("#report button.primary").click();
      await page.waitForURL("**/accessibility?m=barrier-sent**");
      if (!((await page.textContent("#status")) || "").trim()) fail(`${lang}: no status message after sending a barrier report`);
      await check(page, `${lang} accessibility report sent`);
      await page.goto(srv.base + "/password-reset");
      await page.fill("#f-email", "not an email");
      await page.locator("form button.primary").click();
      await page.waitForLoadState();
      await check(page, `${lang} reset errors`);
      await ctx.close();
      timed(`${lang} other pages`);
    }
    if (matrix === "full") {
      await displaySweep(browser, srv, lastPosting);
      timed("display sweep");
      await furiganaSweep(browser, srv, lastPosting);
      timed("furigana sweep");
    }
    await policyJourney(browser, srv, matrix === "full" ? ["ja", "en", "easy"] : ["ja"]);
    timed("policy version");
  } finally {
    await browser.close();
    srv.child.kill("SIGTERM");
    if (srv.dbName) {
      await new Promise((r) => setTimeout(r, 300));
      for (const name of [srv.dbName, `${srv.dbName}_keys`]) {
        try { execFileSync("psql", [process.env.TSUNAGU_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres", "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]); } catch { /* best effort */ }
      }
    }
  }
  console.log(laps.join("\n"));
  console.log(`browser suite (${process.env.TSUNAGU_BROWSER_MATRIX || "full"}): ${checks} page states checked, ${failures} failure(s), ${Math.round(totpWaited)} s waited for authenticator codes`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
