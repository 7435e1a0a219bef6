// npm install runs this, as node-gyp-build's installer would, but it never fails the install:
// everything but memoryMap()/createMemoryMap() works without the addon, and those say how to
// build it. Order: a binary that already loads (a local build/Release or the prebuilt one in
// prebuilds/<platform>-<arch>/, the same lookup the runtime loader does), else a source build
// with node-gyp, else a warning.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Whether the addon loads, tried in a child so that a binary that crashes on load cannot stop the install. */
function addonLoads() {
  const probe = `const a = require('node-gyp-build')(${JSON.stringify(root)}); if (typeof a.isStale !== 'function') process.exit(1);`;
  return spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
}

if (!addonLoads()) {
  // npm tells scripts where its own node-gyp is; otherwise hope for one on PATH.
  const nodeGyp = process.env.npm_config_node_gyp;
  const [command, args] = nodeGyp ? [process.execPath, [nodeGyp, 'rebuild']] : ['node-gyp', ['rebuild']];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: !nodeGyp });
  if (result.status !== 0 || !addonLoads()) {
    console.warn(
      '\nnativefile: no prebuilt memory-map addon for this platform, and it did not build from source\n' +
        '(node-gyp needs python3, make and a C compiler). Everything works without it except\n' +
        'memoryMap()/createMemoryMap(). To retry: npm rebuild nativefile\n',
    );
  }
}
