// npm install runs this: builds the memory-map addon with node-gyp. A failed build must not
// fail the install: everything but memoryMap works without it, and memoryMap says how to build.
import { spawnSync } from 'node:child_process';

const nodeGyp = process.env.npm_config_node_gyp;
const [command, args] = nodeGyp ? [process.execPath, [nodeGyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const result = spawnSync(command, args, { stdio: 'inherit', shell: !nodeGyp });
if (result.status !== 0) {
  console.warn(
    '\nnativefile: the memory-map addon did not build (node-gyp needs python3, make and a C compiler).\n' +
      'Everything works without it except memoryMap()/createMemoryMap(). To retry: npx node-gyp rebuild\n',
  );
}
