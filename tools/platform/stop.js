#!/usr/bin/env node
// @ts-check
/**
 * `npm stop`: stops exactly what `npm start` started from this run directory —
 * the gateway's nginx (its pid file in <runDir>/gateway), the supervisor and
 * through it every app and MailDev (their pid files in <runDir>/pids) — and
 * waits until they are gone.
 *
 * A pid is signalled only after /proc shows it is still ours (the gateway: the
 * nginx running this run directory's config; everything else: our
 * HELPDESK_PROCESS marker in its environment). Stale pid files are removed.
 * Nothing is looked up by name.
 *
 * PostgreSQL and RabbitMQ keep running: they are shared system services that
 * other programs (and the tests) use; `npm start` only started them if they
 * were down.
 */
const fs = require('node:fs');
const { resolvePlatformConfig } = require('./lib/config');
const { stopSupervised } = require('./lib/supervision');
const { errorMessage } = require('./lib/wait');

// gateway/gateway.js is a plain CommonJS script without an import alias: required by path.
const gateway = require('../../gateway/gateway.js');

/**
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void }} [options]
 * @returns {Promise<string[]>} what was stopped
 */
async function stop({ env = process.env, log = (line) => console.log(line) } = {}) {
  const config = resolvePlatformConfig(env);
  const say = (/** @type {string} */ line) => log(`stop: ${line}`);
  /** @type {string[]} */
  const stopped = [];
  if (fs.existsSync(config.gatewayRunDir)) {
    const gatewayPid = gateway.runningGatewayPid(config.gatewayRunDir);
    if (await gateway.stopGateway(config.gatewayRunDir))
      stopped.push(`gateway (nginx pid ${gatewayPid})`);
  }
  stopped.push(
    ...(await stopSupervised(
      { runDir: config.runDir, pidsDir: config.pidsDir, logsDir: config.logsDir },
      { log: say },
    )),
  );
  say(
    stopped.length > 0
      ? `stopped ${stopped.join(', ')}`
      : `nothing was running from ${config.runDir}`,
  );
  say('PostgreSQL and RabbitMQ keep running (shared system services).');
  return stopped;
}

module.exports = { stop };

if (require.main === module) {
  stop().catch((error) => {
    console.error(`stop: FAILED: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
