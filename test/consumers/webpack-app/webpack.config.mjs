// A consumer app's webpack 5 config with nothing nativefile-specific: a production build of
// main.js, plus the page (index.html, shared by the fixture apps) next to it, loading the bundle
// as the classic script it is (no html plugin, to keep the fixture's install small).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
          const page = readFileSync(here('./index.html'), 'utf8');
          if (!page.includes('<script type="module" src="./main.js">')) throw new Error('index.html no longer loads ./main.js');
          writeFileSync(
            here('./dist/index.html'),
            page.replace('<script type="module" src="./main.js">', '<script src="./main.js">'),
          );
        });
      },
    },
  ],
};
