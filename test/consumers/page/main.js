// The fixture apps' entry: the package as a consumer imports it, from the app's node_modules.
// (JavaScript, not TypeScript: the repository's tsc cannot resolve 'nativefile' before a build;
// the checks themselves are typed, in checks.ts.)
import * as nativefile from 'nativefile';
import { runChecks } from './checks.js';

runChecks(nativefile).then(async (report) => {
  globalThis.nativefileReport = report;
  document.getElementById('report').textContent = JSON.stringify(report, null, 2);
  // WebKitGTK runs without a driver to read the report (see ../webkit.ts): the query names where
  // to post it, and the answer is the next page to open, if any. A plain-text body keeps the
  // cross-origin POST a simple request (no preflight).
  const to = new URLSearchParams(location.search).get('report');
  if (to === null) return;
  const next = await (await fetch(to, { method: 'POST', body: JSON.stringify(report) })).text();
  if (next !== '') location.assign(next);
});
