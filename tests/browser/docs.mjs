// The API reference page in headless Chromium: it loads, lists the orders
// endpoints, asks for nothing beyond its own origin, and logs no error.
// Usage: node tests/browser/docs.mjs http://127.0.0.1:PORT
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const base = process.argv[2]
if (!base) throw new Error('usage: node docs.mjs BASE_URL')

// A fresh profile each run (a persistent context is how playwright takes one).
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'finvex-chromium-')), {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync']
})
const problems = []
try {
  const page = await browser.newPage()
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`) })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('request', (request) => {
    if (!request.url().startsWith(base)) problems.push(`request beyond the origin: ${request.url()}`)
  })
  const response = await page.goto(`${base}/docs`, { waitUntil: 'load' })
  if (response.status() !== 200) problems.push(`GET /docs answered ${response.status()}`)
  const title = await page.title()
  if (!title.includes('Finvex')) problems.push(`title: ${title}`)
  const orders = await page.locator('#orders section.op').count()
  if (orders < 3) problems.push(`the orders group lists ${orders} operations`)
  const create = await page.locator('#post_orders').innerText()
  if (!create.includes('Create an order') || !create.includes('Pro Plan')) problems.push('POST /v1/orders lacks its summary or the seed example')
  console.log(`docs page: "${title}", ${await page.locator('section.op').count()} operations, ${orders} under orders`)
} finally {
  await browser.close()
}
if (problems.length) {
  console.error(problems.join('\n'))
  process.exit(1)
}
console.log('docs page: ok')
