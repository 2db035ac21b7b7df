#!/usr/bin/env node
'use strict';
/**
 * The npm registry this project is built against serves only the platform
 * binaries it was asked for (linux-x64), so `npm install` drops the other
 * platforms' optional binaries from package-lock.json — and `npm ci` then
 * refuses the lockfile as "out of sync". This records each missing optional
 * dependency as an optional entry so `npm ci` accepts the lockfile and skips
 * the binaries that cannot be fetched, exactly as it would for any optional
 * dependency that fails to install.
 *
 * Run after every `npm install`: `node tools/scripts/complete-lockfile.js`.
 * `--check` exits 1 (changing nothing) when entries are missing.
 */
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.resolve(__dirname, '../../package-lock.json');

/**
 * @typedef {{ version?: string, dev?: boolean, optional?: boolean, optionalDependencies?: Record<string, string> }} LockEntry
 * @typedef {{ packages: Record<string, LockEntry> }} Lockfile
 */

/**
 * @param {string} dependent the dependent's path in the lockfile ('' for the root)
 * @param {string} name
 * @param {Record<string, LockEntry>} packages
 * @returns {{ found: boolean, path: string }}
 */
function installPathFor(dependent, name, packages) {
  // npm resolves a dependency from the dependent's own node_modules outward.
  let base = dependent;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return { found: true, path: candidate };
    if (!base) return { found: false, path: `node_modules/${name}` };
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/**
 * Adds the missing entries in place.
 * @param {Lockfile} lock
 * @returns {string[]} the paths added
 */
function completeLockfile(lock) {
  const packages = lock.packages;
  const added = [];
  for (const [dependentPath, entry] of Object.entries(packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const resolved = installPathFor(dependentPath, name, packages);
      if (resolved.found) continue;
      packages[resolved.path] = {
        version,
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
      };
      added.push(resolved.path);
    }
  }
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
    ),
  );
  return added;
}

if (require.main === module) {
  const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
  const added = completeLockfile(lock);
  if (process.argv.includes('--check')) {
    if (added.length) {
      console.error(
        `package-lock.json lacks ${added.length} optional entries; run node tools/scripts/complete-lockfile.js`,
      );
      process.exit(1);
    }
  } else if (added.length) {
    fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    console.log(`complete-lockfile: recorded ${added.length} optional platform entries`);
  }
}

module.exports = { completeLockfile };
