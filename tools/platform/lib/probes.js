// @ts-check
/**
 * "Is PostgreSQL / RabbitMQ there?" answered by the protocol, not by a TCP
 * connect: an open port may belong to something else (another program, or a
 * network proxy that accepts every connection).
 */
const net = require('node:net');
const { httpStatus } = require('./wait');

/**
 * Sends `greeting` and resolves with whether the first bytes of the answer
 * satisfy `recognise`.
 * @param {string} host
 * @param {number} port
 * @param {Buffer} greeting
 * @param {(answer: Buffer) => boolean} recognise
 * @param {number} timeoutMs
 * @returns {Promise<boolean>}
 */
function answersLike(host, port, greeting, recognise, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const finish = (/** @type {boolean} */ result) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => socket.write(greeting));
    socket.once('data', (answer) => finish(recognise(answer)));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

/**
 * PostgreSQL answers an SSLRequest with a single 'S' or 'N' (what pg_isready relies on too).
 * @param {string} host
 * @param {number} port
 * @param {number} [timeoutMs]
 */
function isPostgresListening(host, port, timeoutMs = 2_000) {
  const sslRequest = Buffer.alloc(8);
  sslRequest.writeInt32BE(8, 0);
  sslRequest.writeInt32BE(80877103, 4);
  return answersLike(
    host,
    port,
    sslRequest,
    (answer) => answer.length === 1 && (answer[0] === 0x53 || answer[0] === 0x4e),
    timeoutMs,
  );
}

/**
 * An AMQP 0-9-1 broker answers the protocol header with a method frame
 * (Connection.Start): frame type 1 on channel 0.
 * @param {string} host
 * @param {number} port
 * @param {number} [timeoutMs]
 */
function isAmqpListening(host, port, timeoutMs = 2_000) {
  return answersLike(
    host,
    port,
    Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01]),
    (answer) =>
      answer.length >= 3 && answer[0] === 0x01 && answer[1] === 0x00 && answer[2] === 0x00,
    timeoutMs,
  );
}

/**
 * The RabbitMQ management API answers /api/overview with 200 or (without
 * credentials) 401.
 * @param {string} host
 * @param {number} port
 */
async function isRabbitMqManagementListening(host, port) {
  const status = await httpStatus(`http://${host}:${port}/api/overview`);
  return status === 200 || status === 401;
}

module.exports = { isPostgresListening, isAmqpListening, isRabbitMqManagementListening };
