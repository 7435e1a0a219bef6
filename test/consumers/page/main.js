// The fixture apps' entry: the package as a consumer imports it, from the app's node_modules.
// (JavaScript, not TypeScript: the repository's tsc cannot resolve 'nativefile' before a build;
// the checks themselves are typed, in checks.ts.)
import * as nativefile from 'nativefile';
import { runChecks } from './checks.js';

runChecks(nativefile).then((report) => {
  globalThis.nativefileReport = report;
  document.getElementById('report').textContent = JSON.stringify(report, null, 2);
});
