#!/usr/bin/env node
// @ts-check
/**
 * `npm test`: every project's tests — unit, integration and end-to-end — in
 * one Jest run, so the two cores are shared by one scheduler instead of
 * several competing `nx` tasks.
 *
 * 1. Prepares the machine the way `npm start` does (dependencies, PostgreSQL,
 *    RabbitMQ, NGINX) unless HELPDESK_SKIP_PREPARE=1.
 * 2. Finds every Nx project that has a jest.config.js.
 * 3. Runs Jest over all of them and ends with the totals line CI reads:
 *    `N passed, N failed` (`, N skipped` when some were skipped).
 *
 * Extra arguments go to Jest (`npm test -- libs/http`).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const reportFile = path.join(root, 'reports', 'jest-results.json');

function prepareMachine() {
  if (process.env.HELPDESK_SKIP_PREPARE === '1') return;
  const prepare = path.join(root, 'tools/platform/prepare.js');
  const result = spawnSync(process.execPath, [prepare], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('test: preparing the machine failed; see above.');
    printTotals({ passed: 0, failed: 1, skipped: 0 });
    process.exit(1);
  }
}

/** Directories holding a project.json and a jest.config.js, outside fixtures and build output. */
function findJestProjects() {
  const skip = new Set([
    'node_modules',
    'dist',
    'coverage',
    '.nx',
    '.run',
    '.git',
    'tmp',
    'fixtures',
    'reports',
  ]);
  /** @type {string[]} */
  const found = [];
  /** @param {string} dir */
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const names = new Set(entries.map((e) => e.name));
    if (names.has('project.json') && names.has('jest.config.js'))
      found.push(path.relative(root, dir));
    for (const entry of entries) {
      if (entry.isDirectory() && !skip.has(entry.name)) walk(path.join(dir, entry.name));
    }
  };
  for (const top of ['apps', 'libs', 'gateway', 'tools']) {
    if (fs.existsSync(path.join(root, top))) walk(path.join(root, top));
  }
  return found.sort();
}

/** @param {{ passed: number, failed: number, skipped: number }} totals */
function printTotals({ passed, failed, skipped }) {
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

/**
 * A suite that crashes before running (syntax error, failing beforeAll with
 * no tests reported) has no failed tests; count it as one failure so it can
 * never pass unnoticed.
 * @param {any} report
 */
function totalsOf(report) {
  let failed = report.numFailedTests;
  for (const suite of report.testResults ?? []) {
    const ran = (suite.assertionResults ?? []).length;
    if (
      suite.status === 'failed' &&
      (ran === 0 || suite.assertionResults.every((/** @type {any} */ a) => a.status !== 'failed'))
    ) {
      failed += 1;
    }
  }
  return {
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

function main() {
  prepareMachine();
  const projects = findJestProjects();
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.rmSync(reportFile, { force: true });
  const args = [
    require.resolve('jest/bin/jest'),
    '--ci',
    '--maxWorkers=2',
    '--json',
    `--outputFile=${reportFile}`,
    '--projects',
    ...projects,
    ...process.argv.slice(2),
  ];
  const run = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NX_DAEMON: 'false',
      FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR,
    },
  });
  if (!fs.existsSync(reportFile)) {
    console.error('test: Jest wrote no report; it failed before running any test.');
    printTotals({ passed: 0, failed: 1, skipped: 0 });
    process.exit(run.status || 1);
  }
  const totals = totalsOf(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
  printTotals(totals);
  process.exit(totals.failed > 0 || run.status !== 0 ? 1 : 0);
}

main();
