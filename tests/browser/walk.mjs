import { chromium } from "playwright-core";
const base = "http://127.0.0.1:18080";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function login(page, email) {
  await page.goto(base + "/login");
  await page.fill("#f-email", email);
  await page.fill("#f-password", "tsunagu-demo-2026");
  await Promise.all([page.waitForNavigation(), page.click("main form button.primary")]);
}
const ctx = await browser.newContext({ locale: "ja-JP", viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await login(page, "employer@demo.tsunagu.example");
await page.goto(base + "/company/agency");
const d = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
const u = new Date(Date.now() + 9 * 3600e3 + 30 * 86400e3).toISOString().slice(0, 10);
await page.fill("#f-from", d); await page.fill("#f-until", u);
await Promise.all([page.waitForNavigation(), page.click("form[action='/company/agency'] button.primary")]);
await ctx.clearCookies();
await login(page, "operator@demo.tsunagu.example");
await page.goto(base + "/operator/agency");
await page.screenshot({ path: "/tmp/walk/agency-1280.png", fullPage: true });
const href = await page.getAttribute("main a[href^='/operator/agency/companies/']", "href");
await page.goto(base + href + "?search=1");
await page.screenshot({ path: "/tmp/walk/scout-1280.png", fullPage: false });
await page.setViewportSize({ width: 375, height: 800 });
await page.screenshot({ path: "/tmp/walk/scout-375.png", fullPage: false });
const n = await page.locator("main article").count();
console.log("found", n);
if (n > 0) {
  await page.locator("main article details summary").first().click();
  await page.locator("main article textarea").first().fill("はじめまして。デモ株式会社の採用代行です。");
  await Promise.all([page.waitForNavigation(), page.locator("main article form button.primary").first().click()]);
  console.log(page.url());
  await page.screenshot({ path: "/tmp/walk/sent-375.png" });
  await ctx.clearCookies();
  // Which seeker got it? log in as demo seeker, see /scouts
  await login(page, "seeker@demo.tsunagu.example");
  await page.goto(base + "/scouts");
  await page.screenshot({ path: "/tmp/walk/seeker-scouts-375.png", fullPage: true });
}
await browser.close();
