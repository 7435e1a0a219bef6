// Finds the Chromium and Firefox that the browser tests drive, installs them where the platform
// allows, and otherwise stops early with one message saying what to install. `npm test` runs it
// first (pretest), so a fresh machine fails in its first minute instead of deep inside a test.
//
//   node scripts/ensure-browsers.mjs          -> prints what it found (installs what is missing)
//   node scripts/ensure-browsers.mjs --json   -> also prints {"chromium": path, "firefox": path} last
//   node scripts/ensure-browsers.mjs chromium -> only Chromium (the browser benchmarks need no Firefox)
//   NATIVEFILE_CHROMIUM=/path NATIVEFILE_FIREFOX=/path   -> use these binaries
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const json = process.argv.includes('--json');
// With --json the last stdout line is the result; progress goes to stderr so it cannot mix in.
const say = (line) => (json ? console.error(line) : console.log(line));

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Binaries inside a browser cache folder (Playwright's or Puppeteer's), newest revision first. */
function fromCache(cacheDir, prefix, relativePaths) {
  if (!existsSync(cacheDir)) return [];
  const dirs = readdirSync(cacheDir)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .reverse();
  return dirs.flatMap((dir) => relativePaths.map((path) => join(cacheDir, dir, path)));
}

const playwrightCache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache/ms-playwright');
const puppeteerCache = process.env.PUPPETEER_CACHE_DIR || join(homedir(), '.cache/puppeteer');

const browsers = {
  chromium: {
    env: 'NATIVEFILE_CHROMIUM',
    candidates: () => [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      ...fromCache(playwrightCache, 'chromium', ['chrome-linux/chrome', 'chrome-linux64/chrome']),
    ],
  },
  firefox: {
    env: 'NATIVEFILE_FIREFOX',
    // Puppeteer drives Firefox over WebDriver BiDi, which Playwright's patched Firefox build does
    // not offer, so only stock Firefox counts (Debian's, or one @puppeteer/browsers installed).
    candidates: () => [
      '/usr/bin/firefox-esr',
      '/usr/bin/firefox',
      ...(existsSync(join(puppeteerCache, 'firefox'))
        ? fromCache(join(puppeteerCache, 'firefox'), 'linux', ['firefox/firefox'])
        : []),
    ],
  },
};

/** The binary for `name`, or undefined. An env var that points nowhere is an error, not a fallback. */
function find(name) {
  const { env, candidates } = browsers[name];
  const fromEnv = process.env[env];
  if (fromEnv) {
    if (!executable(fromEnv)) throw new Error(`${env}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  return candidates().find(executable);
}

/** Runs a command with a time limit; true when it succeeded. */
function run(command, args, timeoutSeconds, env = {}) {
  say(`ensure-browsers: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: timeoutSeconds * 1000,
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

const isDebianRoot = () => process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

/** Tries the installs this platform allows for the missing browsers. */
function install(missing) {
  if (isDebianRoot()) {
    // Short network timeouts: an offline machine must fail within the first minute, while a
    // connected one may take a few minutes for the packages themselves.
    const apt = ['-o', 'Acquire::http::Timeout=20', '-o', 'Acquire::Retries=0'];
    const packages = missing.map((name) => (name === 'chromium' ? 'chromium' : 'firefox-esr'));
    if (run('apt-get', [...apt, 'update', '-qq'], 50)) {
      run('apt-get', [...apt, 'install', '-y', '-qq', ...packages], 600, { DEBIAN_FRONTEND: 'noninteractive' });
    }
    return;
  }
  // Elsewhere: the browser builds the driver libraries download themselves, where the network
  // allows (the first attempt is bounded so that an offline machine stops early).
  if (missing.includes('chromium')) {
    run(process.execPath, [join(root, 'node_modules/playwright-core/cli.js'), 'install', 'chromium'], 300);
  }
  if (missing.includes('firefox')) {
    run(
      process.execPath,
      [join(root, 'node_modules/@puppeteer/browsers/lib/cjs/main-cli.js'), 'install', 'firefox@stable', '--path', puppeteerCache],
      300,
    );
  }
}

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const name of wanted) {
  if (!(name in browsers)) {
    console.error(`ensure-browsers: unknown browser ${name} (known: ${Object.keys(browsers).join(', ')})`);
    process.exit(2);
  }
}
const names = wanted.length > 0 ? wanted : Object.keys(browsers);

try {
  const found = Object.fromEntries(names.map((name) => [name, find(name)]));
  const missing = Object.keys(found).filter((name) => found[name] === undefined);
  if (missing.length > 0) {
    say(`ensure-browsers: not found: ${missing.join(', ')}; trying to install`);
    install(missing);
    for (const name of missing) found[name] = find(name);
  }
  const still = Object.keys(found).filter((name) => found[name] === undefined);
  if (still.length > 0) {
    const debian = still.map((name) => (name === 'chromium' ? 'chromium' : 'firefox-esr')).join(' ');
    const elsewhere = still
      .map((name) =>
        name === 'chromium' ? 'npx playwright-core install chromium' : 'npx @puppeteer/browsers install firefox@stable',
      )
      .join(' and ');
    throw new Error(
      `the browser tests need ${still.join(' and ')}, which could not be found or installed here. ` +
        `Install ${still.length > 1 ? 'them' : 'it'} (Debian/Ubuntu as root: apt-get install -y ${debian}; ` +
        `elsewhere: ${elsewhere}), or set ${still.map((name) => `${browsers[name].env}=/path/to/binary`).join(' and ')}.`,
    );
  }
  for (const [name, path] of Object.entries(found)) say(`ensure-browsers: ${name}: ${path}`);
  if (json) console.log(JSON.stringify(found));
} catch (error) {
  console.error(`ensure-browsers: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
