// A consumer app's webpack 5 config with nothing nativefile-specific: a production build of
// main.js, plus the page (index.html, shared by the fixture apps) next to it, loading the bundle
// as the classic script it is (no html plugin, to keep the fixture's install small).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
/** How the shared page loads the app; webpack's bundle here is a classic script. */
const MODULE_SCRIPT = '<script type="module" src="./main.js">';

export default {
  mode: 'production',
  target: 'web',
  entry: './main.js',
  output: { path: here('./dist'), filename: 'main.js', publicPath: 'auto', clean: true },
  devtool: false,
  performance: { hints: false },
  plugins: [
    {
      apply(compiler) {
        compiler.hooks.afterEmit.tap('copy-index-html', () => {
          const page = readFileSync(here('./index.html'), 'utf8');
          if (!page.includes(MODULE_SCRIPT)) throw new Error(`index.html no longer has ${MODULE_SCRIPT}`);
          writeFileSync(here('./dist/index.html'), page.replace(MODULE_SCRIPT, '<script src="./main.js">'));
        });
      },
    },
  ],
};
