import * as net from 'node:net';

/**
 * A port nothing listens on right now, chosen by the kernel — never the fixed
 * defaults (8080, 1025, ...) a developer's `npm start` may be holding.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
