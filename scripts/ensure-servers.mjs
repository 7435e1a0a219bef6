// Finds the programs the tests start besides the browsers (nginx, Ceph's S3 gateway, Xvfb and
// WebKitGTK's MiniBrowser, the codecs' reference tools) and installs the missing ones where
// the platform allows (Debian or Ubuntu, as root), so that `npm test` on a fresh machine needs
// nothing done by hand. Elsewhere it says what to install; the tests that need a missing
// program then fail saying the same. `npm test` runs it first (pretest), after ensure-browsers.
//
//   node scripts/ensure-servers.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** A program the tests run, and the Debian packages that bring it. */
const programs = [
  { what: 'nginx (the HTTP server of the remote-file tests)', found: () => existsSync('/usr/sbin/nginx'), packages: ['nginx'] },
  {
    what: "Ceph's RADOS Gateway (the S3 of the tests)",
    found: () => ['/usr/bin/radosgw', '/usr/bin/ceph-mon', '/usr/bin/ceph-osd'].every(existsSync),
    packages: ['ceph-mon', 'ceph-osd', 'radosgw', 'ceph-common'],
    // Its recommends would pull in services the tests do not use.
    noRecommends: true,
  },
  { what: 'Xvfb (the display of the WebKitGTK tests)', found: () => existsSync('/usr/bin/xvfb-run'), packages: ['xvfb'] },
  {
    what: "WebKitGTK's MiniBrowser (the third engine)",
    found: () =>
      readdirSync('/usr/lib', { withFileTypes: true }).some(
        (entry) => entry.isDirectory() && existsSync(`/usr/lib/${entry.name}/webkit2gtk-4.1/MiniBrowser`),
      ),
    packages: ['libwebkit2gtk-4.1-0'],
  },
  {
    what: 'the reference tools of the codec tests (gzip bzip2 brotli lz4 zstd)',
    found: () => ['gzip', 'bzip2', 'brotli', 'lz4', 'zstd'].every((tool) => existsSync(`/usr/bin/${tool}`)),
    packages: ['gzip', 'bzip2', 'brotli', 'lz4', 'zstd'],
  },
];

const run = (command, args, timeoutSeconds) => {
  console.log(`ensure-servers: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: timeoutSeconds * 1000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
};

const missing = programs.filter((program) => !program.found());
if (missing.length === 0) {
  console.log('ensure-servers: nginx, Ceph, Xvfb, MiniBrowser and the codec tools are installed');
} else {
  const debianRoot = process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (debianRoot) {
    // Short network timeouts: an offline machine must fail within the first minute.
    const apt = ['-o', 'Acquire::http::Timeout=20', '-o', 'Acquire::Retries=0'];
    if (run('apt-get', [...apt, 'update', '-qq'], 60)) {
      for (const noRecommends of [false, true]) {
        const packages = missing.filter((p) => (p.noRecommends ?? false) === noRecommends).flatMap((p) => p.packages);
        if (packages.length === 0) continue;
        run('apt-get', [...apt, 'install', '-y', '-qq', ...(noRecommends ? ['--no-install-recommends'] : []), ...packages], 900);
      }
    }
  }
  const still = programs.filter((program) => !program.found());
  for (const program of still) {
    console.warn(
      `ensure-servers: ${program.what} is missing: install ${program.packages.join(' ')} (Debian/Ubuntu: apt-get install -y ${program.packages.join(' ')})`,
    );
  }
}
