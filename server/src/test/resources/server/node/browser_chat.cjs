// Opens the chat page in Debian's chromium (headless, via playwright-core; no browser download),
// types a question and waits for the streamed answer. Prints one JSON line.
// Usage: node browser_chat.cjs URL
const { chromium } = require('playwright-core');

async function main() {
  const url = process.argv[2];
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-extensions', '--disable-sync', '--no-first-run', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    const model = await page.textContent('#model');
    await page.fill('#prompt', 'Once upon a time');
    await page.click('#send');
    // While streaming, the answer's bubble counts the chunks it received.
    await page.waitForSelector('.msg.assistant[data-state="done"], .msg.error[data-state="done"]', { timeout: 60000 });
    const answer = await page.$eval('#log .msg:last-child', (el) => ({ cls: el.className, text: el.textContent, chunks: Number(el.dataset.chunks || 0) }));
    const stats = await page.textContent('#stats');
    console.log(JSON.stringify({ model, answer, stats }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
