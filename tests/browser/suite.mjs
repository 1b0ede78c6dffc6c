// Browser suite: each kind of user walks registration (or invitation) → sign-in →
// dashboard in Japanese and in English, in Debian's Chromium; axe-core (WCAG 2.2 AA
// tags, target-size on) runs on every page and every error state and must find
// nothing; every page must reflow at 320 CSS px without horizontal scrolling.
//
// Usage: node suite.mjs   (TSUNAGU_BIN, TSUNAGU_TEST_BACKEND, TSUNAGU_TEST_PG_URL as in test.sh)
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";

const BIN = process.env.TSUNAGU_BIN || path.resolve("../../target/debug/tsunagu");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PW = "correct horse battery";
let failures = 0;
let checks = 0;

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
  execFileSync(BIN, ["--data-dir", dir, "demo"], { env });
  const log = fs.openSync(path.join(dir, "server.log"), "a");
  const child = spawn(BIN, ["--data-dir", dir, "serve", "--listen", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", log] });
  for (let i = 0; i < 200; i++) {
    try { const r = await fetch(`http://localhost:${port}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { dir, port, child, base: `http://localhost:${port}`, dbName, env };
}

async function check(page, label) {
  checks++;
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .options({ rules: { "target-size": { enabled: true } } })
    .analyze();
  for (const v of results.violations) {
    fail(`${label}: axe ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  }
  // One h1, a main landmark, a skip link.
  const h1 = await page.locator("h1").count();
  if (h1 !== 1) fail(`${label}: ${h1} h1 elements`);
  if ((await page.locator("main#main").count()) !== 1) fail(`${label}: no main landmark`);
  // Reflow at 320 CSS px.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) fail(`${label}: scrolls horizontally by ${overflow}px at 320px`);
  await page.setViewportSize(size);
  // Duplicate ids break labels and error links.
  const dup = await page.evaluate(() => { const s = new Set(); const d = []; for (const e of document.querySelectorAll("[id]")) { if (s.has(e.id)) d.push(e.id); s.add(e.id); } return d; });
  if (dup.length) fail(`${label}: duplicate ids ${dup.join(",")}`);
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

async function setLang(page, base, lang) {
  await page.goto(base + "/");
  const current = await page.getAttribute("html", "lang");
  if (current !== lang) {
    await page.locator(".lang-switch button").click();
    await page.waitForLoadState();
  }
  if ((await page.getAttribute("html", "lang")) !== lang) fail(`language switch to ${lang} did not work`);
}

async function login(page, base, lang, email, label) {
  await page.goto(base + "/login");
  await check(page, `${label} login page`);
  await page.fill("#f-email", email);
  await page.fill("#f-password", "wrong password");
  await page.getByRole("button", { name: T[lang].login, exact: true }).click();
  await page.waitForLoadState();
  await check(page, `${label} login error state`);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "error-summary") fail(`${label}: focus is not on the error summary after a failed login (${focused})`);
  await page.fill("#f-password", email.endsWith("demo.tsunagu.example") ? "tsunagu-demo-2026" : PW);
  await page.getByRole("button", { name: T[lang].login, exact: true }).click();
  await page.waitForURL("**/dashboard");
  // A signed-in user's saved language wins over the browser's; switch if needed.
  if ((await page.getAttribute("html", "lang")) !== lang) {
    await page.locator(".lang-switch button").click();
    await page.waitForURL("**/dashboard");
  }
  if ((await page.getAttribute("html", "lang")) !== lang) fail(`${label}: dashboard not in ${lang}`);
  await check(page, `${label} dashboard`);
  const text = await page.textContent("main");
  if (!text.includes(email)) fail(`${label}: dashboard does not show the account's email`);
}

async function registerJourney(page, base, lang, kind, email, org) {
  const label = `${lang} ${kind}`;
  await setLang(page, base, lang);
  await check(page, `${label} home`);
  await page.goto(base + "/register");
  await check(page, `${label} register choice`);
  await page.goto(`${base}/register/${kind}`);
  await check(page, `${label} register form`);
  // Submit empty: the error state.
  await page.getByRole("button", { name: T[lang].submit, exact: true }).click();
  await page.waitForLoadState();
  await check(page, `${label} register errors`);
  if ((await page.locator(".error-summary a").count()) < 3) fail(`${label}: error summary lists too few fields`);
  await page.fill("#f-name", lang === "ja" ? "試験 太郎" : "Test Taro");
  if (org) await page.fill("#f-organization_name", org);
  await page.fill("#f-email", email);
  await page.fill("#f-password", PW);
  await page.check("#f-consent_privacy");
  if (kind === "seeker") await page.check("#f-consent_sensitive");
  await page.getByRole("button", { name: T[lang].submit, exact: true }).click();
  await page.waitForURL("**/login?m=register-done");
  const status = await page.textContent("#status");
  if (!status || status.trim() === "") fail(`${label}: no status message after registration`);
  await login(page, base, lang, email, label);
}

async function inviteAndAccept(browser, srv, inviterPage, lang, kind, inviteeEmail, choose) {
  const label = `${lang} ${kind} invitation`;
  await inviterPage.goto(srv.base + "/invitations");
  await check(inviterPage, `${label} page`);
  await inviterPage.getByRole("button", { name: T[lang].invite, exact: true }).click();
  await inviterPage.waitForLoadState();
  await check(inviterPage, `${label} error state`);
  await inviterPage.fill("#f-email", inviteeEmail);
  await inviterPage.selectOption(choose.select, choose.value);
  await inviterPage.getByRole("button", { name: T[lang].invite, exact: true }).click();
  await inviterPage.waitForURL("**/invitations?m=invite-sent");
  await check(inviterPage, `${label} sent`);
  const mail = latestMail(srv.dir, inviteeEmail);
  const link = mail.match(/\/invite\/([A-Za-z0-9_-]+)/);
  if (!link) { fail(`${label}: no link in the mail`); return; }
  const ctx = await browser.newContext({ locale: lang === "ja" ? "ja-JP" : "en-US" });
  const page = await ctx.newPage();
  await setLang(page, srv.base, lang);
  await page.goto(srv.base + link[0]);
  await check(page, `${label} accept form`);
  await page.getByRole("button", { name: T[lang].accept, exact: true }).click();
  await page.waitForLoadState();
  await check(page, `${label} accept errors`);
  await page.fill("#f-name", lang === "ja" ? "招待 花子" : "Invited Hanako");
  await page.fill("#f-password", PW);
  await page.check("#f-consent_privacy");
  await page.getByRole("button", { name: T[lang].accept, exact: true }).click();
  await page.waitForURL("**/login?m=accept-done");
  await login(page, srv.base, lang, inviteeEmail, `${lang} ${kind}`);
  await ctx.close();
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
  await page.waitForURL("**/profile?m=profile-saved");
  // Keyboard only: change the reading of the name and save.
  await page.goto(base + "/profile/basic");
  await page.locator("h1").click();
  await tabTo(page, "#f-kana", `${label} basic keyboard`);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("やまだ たろう");
  await tabTo(page, "form button.primary", `${label} basic keyboard`);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/profile?m=profile-saved");
  if (!((await page.textContent("main")) || "").includes("やまだ たろう")) fail(`${label}: keyboard edit not saved`);
  await page.goto(base + "/profile/traits");
  await page.locator("#f-text").pressSequentially("本籍は大阪です");
  await page.waitForFunction(() => (document.getElementById("warn-live") || {}).textContent !== "");
  await check(page, `${label} traits live warning`);
  await page.locator("form button.primary").click();
  await page.waitForLoadState();
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
  await page.fill("#f-q", lang === "ja" ? "デモ" : "デモ");
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

async function main() {
  const srv = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  try {
    for (const lang of ["ja", "en"]) {
      const ctx = await browser.newContext({ locale: lang === "ja" ? "ja-JP" : "en-US" });
      const page = await ctx.newPage();
      const tag = `${lang}${Date.now()}`;

      // Seeker: registers, fills the profile, sets privacy, invites a family member.
      await registerJourney(page, srv.base, lang, "seeker", `seeker-${tag}@example.jp`);
      await seekerProfileJourney(page, srv.base, lang);
      await inviteAndAccept(browser, srv, page, lang, "family", `family-${tag}@example.jp`, { select: "#f-relation", value: "mother" });
      await page.goto(srv.base + "/dashboard");
      await check(page, `${lang} seeker dashboard with family`);
      await page.getByRole("button", { name: T[lang].logout, exact: true }).click();
      await page.waitForLoadState();

      // Employer: registers the company, invites a recruiter who joins.
      await registerJourney(page, srv.base, lang, "employer", `employer-${tag}@example.jp`, lang === "ja" ? "試験株式会社" : "Test Co.");
      await inviteAndAccept(browser, srv, page, lang, "recruiter", `recruiter-${tag}@example.jp`, { select: "#f-role", value: "recruiter" });
      await page.getByRole("button", { name: T[lang].logout, exact: true }).click();
      await page.waitForLoadState();

      // Supporter: registers the facility, invites staff.
      await registerJourney(page, srv.base, lang, "supporter", `supporter-${tag}@example.jp`, lang === "ja" ? "試験支援センター" : "Test Support Centre");
      await inviteAndAccept(browser, srv, page, lang, "staff", `staff-${tag}@example.jp`, { select: "#f-role", value: "facility_staff" });
      await page.getByRole("button", { name: T[lang].logout, exact: true }).click();
      await page.waitForLoadState();

      // Supporter of the demo seeker: facility page and the seeker's profile.
      await supporterViewsSeeker(page, srv.base, lang);
      await page.getByRole("button", { name: T[lang].logout, exact: true }).click();
      await page.waitForLoadState();

      // Operator (created by `tsunagu demo`).
      await setLang(page, srv.base, lang);
      await login(page, srv.base, lang, "operator@demo.tsunagu.example", `${lang} operator`);
      await page.getByRole("button", { name: T[lang].logout, exact: true }).click();
      await page.waitForLoadState();

      // Other pages and error states.
      for (const [p, label] of [["/password-reset", "reset"], ["/privacy", "privacy"], ["/no-such-page", "404"], ["/password-reset/not-a-token", "reset invalid"], ["/invite/not-a-token", "invitation invalid"]]) {
        await page.goto(srv.base + p);
        await check(page, `${lang} ${label}`);
      }
      await page.goto(srv.base + "/password-reset");
      await page.fill("#f-email", "not an email");
      await page.locator("form button.primary").click();
      await page.waitForLoadState();
      await check(page, `${lang} reset errors`);
      await ctx.close();
    }
  } finally {
    await browser.close();
    srv.child.kill("SIGTERM");
    if (srv.dbName) {
      await new Promise((r) => setTimeout(r, 300));
      try { execFileSync("psql", [process.env.TSUNAGU_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres", "-qc", `DROP DATABASE IF EXISTS ${srv.dbName} WITH (FORCE)`]); } catch { /* best effort */ }
    }
  }
  console.log(`browser suite: ${checks} page states checked, ${failures} failure(s)`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
