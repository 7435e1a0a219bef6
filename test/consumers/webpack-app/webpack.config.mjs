// A consumer app's webpack 5 config with nothing nativefile-specific: a production build of
// main.js, plus index.html copied next to it (no html plugin, to keep the fixture's install small).
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

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
          mkdirSync(here('./dist'), { recursive: true });
          copyFileSync(here('./index.html'), here('./dist/index.html'));
        });
      },
    },
  ],
};
