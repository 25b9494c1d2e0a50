/* Material for MkDocs' own search, run in Node for `helseinfo bench search` (search_index/bench.py):
 * the theme's search worker (lunr, its language files and Material's query handling, exactly
 * the file the site ships) in a VM context standing in for a Web Worker.
 *
 *   node material_search.js WORKER.js SITE/search/search_index.json < queries > answers
 *
 * Input: one JSON string (a query) per line. Output: one JSON line per query, in order:
 * {"locations": [page locations, best first], "ms": time of the search in the worker}.
 * The first line written is {"ready": true, "setup_ms": …}: the time to build the lunr index
 * (what a browser does on every page load before the first search).
 */
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const vm = require("vm");

const [workerPath, indexPath] = process.argv.slice(2);
const workerDir = path.dirname(path.resolve(workerPath));
const context = {
  console: { log() {}, warn() {}, error() {} },
  setTimeout, clearTimeout, URL, TextEncoder, TextDecoder, performance,
};
context.self = context;
context.globalThis = context;
let onMessage = null;
let reply = null;
context.addEventListener = (type, handler) => { if (type === "message") onMessage = handler; };
context.postMessage = (message) => reply(message);
context.importScripts = (...urls) => {
  for (const url of urls) vm.runInContext(fs.readFileSync(path.resolve(workerDir, url), "utf8"), context);
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(workerPath, "utf8"), context);

function ask(message) {
  return new Promise((resolve) => { reply = resolve; onMessage({ data: message }); });
}

(async () => {
  const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  let start = performance.now();
  await ask({ type: 0, data: { config: index.config, docs: index.docs, options: { suggest: false } } });
  process.stdout.write(JSON.stringify({ ready: true, setup_ms: performance.now() - start }) + "\n");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    start = performance.now();
    const answer = await ask({ type: 2, data: JSON.parse(line) });
    const ms = performance.now() - start;
    const locations = answer.data.items.map((group) => group[0].location.split("#")[0]);
    process.stdout.write(JSON.stringify({ locations, ms }) + "\n");
  }
})();
