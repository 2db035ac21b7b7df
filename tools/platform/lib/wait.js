// @ts-check
/**
 * Polling with deadlines: every wait in the platform scripts ends, either with
 * the awaited value or with an error that says what was awaited.
 */
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');

/**
 * Polls `probe` until it returns something other than undefined.
 * @template T
 * @param {() => T | undefined | Promise<T | undefined>} probe
 * @param {{ timeoutMs: number, what: string, intervalMs?: number }} options
 * @returns {Promise<T>}
 */
async function waitFor(probe, { timeoutMs, what, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      throw new Error(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
    }
    await delay(intervalMs);
  }
}

/** @param {number} ms */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * GET a URL once; the status code, or undefined when nothing answered in time.
 * @param {string} url
 * @param {{ timeoutMs?: number, headers?: Record<string, string> }} [options]
 * @returns {Promise<number | undefined>}
 */
function httpStatus(url, { timeoutMs = 2_000, headers = {} } = {}) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs, headers }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/**
 * Whether something accepts TCP connections on host:port.
 * @param {number} port
 * @param {string} [host]
 * @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
function isPortOpen(port, host = '127.0.0.1', timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (/** @type {boolean} */ open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * The last lines of a file (a log), or a note that it does not exist.
 * @param {string} file
 * @param {number} [lines]
 */
function tailFile(file, lines = 40) {
  let text;
  try {
    const size = fs.statSync(file).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, size - length);
    } finally {
      fs.closeSync(fd);
    }
    text = buffer.toString('utf8');
  } catch {
    return `(no log at ${file})`;
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

module.exports = { waitFor, delay, httpStatus, isPortOpen, tailFile, errorMessage };
