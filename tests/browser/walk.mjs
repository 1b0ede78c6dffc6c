import { chromium } from "playwright-core";
const B = "http://127.0.0.1:18080";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium" });
async function as(email, shots) {
  for (const w of [1280, 375]) {
    const ctx = await b.newContext({ viewport: { width: w, height: 900 }, locale: "ja-JP" });
    const p = await ctx.newPage();
    await p.goto(B + "/login");
    await p.fill("#f-email", email);
    await p.fill("#f-password", "tsunagu-demo-2026");
    await p.click("button[type=submit].primary");
    await p.waitForLoadState();
    for (const [name, url] of shots) {
      let u = url;
      if (typeof url === "function") u = await url(p);
      await p.goto(B + u);
      await p.screenshot({ path: `/tmp/walk/${name}-${w}.png`, fullPage: true });
    }
    await ctx.close();
  }
}
const firstThread = async (p) => { await p.goto(B + "/messages"); const l = p.locator("a.thread-link"); return await l.nth((await l.count()) - 1).getAttribute("href"); };
await as("seeker@demo.tsunagu.example", [["s-dashboard", "/dashboard"], ["s-threads", "/messages"], ["s-thread", firstThread], ["s-notices", "/notifications"], ["s-settings", "/notifications/settings"]]);
await as("employer@demo.tsunagu.example", [["e-thread", firstThread], ["e-agency", "/company/agency"]]);
await as("supporter@demo.tsunagu.example", [["p-threads", "/messages"], ["p-thread", firstThread]]);
await as("operator@demo.tsunagu.example", [["o-agency", "/operator/agency"], ["o-reports", "/operator/message-reports"]]);
await b.close();
