import { chromium } from "playwright-core";
const base = "http://127.0.0.1:18080";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await b.newContext({ locale: "ja-JP" });
const page = await ctx.newPage();
await page.goto(base + "/login");
await page.fill("#f-email", "seeker@demo.tsunagu.example");
await page.fill("#f-password", "tsunagu-demo-2026");
await Promise.all([page.waitForURL("**/dashboard"), page.locator("form button.primary").first().click()]);
await page.goto(base + "/recommendations");
await Promise.all([page.waitForLoadState(), page.locator(".job-card a").first().click()]);
await page.waitForLoadState();
for (const w of [1280, 375]) { await page.setViewportSize({ width: w, height: 800 }); await page.screenshot({ path: `/tmp/walk/job-${w}.png`, fullPage: false }); }
await page.setViewportSize({ width: 1280, height: 800 });
await Promise.all([page.waitForLoadState(), page.locator("a[href$='/apply']").click()]);
await page.waitForLoadState();
await page.locator("details.preview").first().evaluate((d) => (d.open = true));
for (const w of [1280, 375]) { await page.setViewportSize({ width: w, height: 900 }); await page.screenshot({ path: `/tmp/walk/apply1-${w}.png`, fullPage: true }); }
await page.locator("#f-openness-open").check();
await Promise.all([page.waitForNavigation(), page.locator("form[action$='/apply/message'] button.primary").click()]);
await page.fill("#f-message", "よろしくお願いいたします。");
await page.screenshot({ path: `/tmp/walk/apply2-375.png`, fullPage: true });
await Promise.all([page.waitForNavigation(), page.locator("form[action$='/apply/check'] button.primary").click()]);
for (const w of [1280, 375]) { await page.setViewportSize({ width: w, height: 900 }); await page.screenshot({ path: `/tmp/walk/apply3-${w}.png`, fullPage: true }); }
await Promise.all([page.waitForNavigation(), page.locator("form[action$='/apply'] button.primary").click()]);
for (const w of [1280, 375]) { await page.setViewportSize({ width: w, height: 800 }); await page.screenshot({ path: `/tmp/walk/list-${w}.png`, fullPage: true }); }
console.log(page.url());
await b.close();
