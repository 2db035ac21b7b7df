import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadServices, runningGatewayPid, startGateway, stopGateway } from '../gateway';
import { freePort, send } from './support';

/** Start, restart and stop our own nginx through its pid file. */
describe('gateway lifecycle (real nginx)', () => {
  let runDir: string;

  beforeEach(() => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lifecycle-'));
  });

  afterEach(async () => {
    await stopGateway(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  const isRunning = (pid: number) => {
    try {
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      return state !== 'Z';
    } catch {
      return false;
    }
  };

  it('starts, answers /health, starts again as a reload, and stops', async () => {
    const listenPort = await freePort();
    const options = { runDir, listenPort, listenAddress: '127.0.0.1', services: loadServices() };

    const pid = await startGateway(options);

    expect(runningGatewayPid(runDir)).toBe(pid);
    expect((await send(listenPort, '/health')).status).toBe(200);

    const samePid = await startGateway({ ...options, clientMaxBodySize: '2m' });
    expect(samePid).toBe(pid);
    expect(fs.readFileSync(path.join(runDir, 'nginx.conf'), 'utf8')).toContain(
      'client_max_body_size 2m;',
    );

    expect(await stopGateway(runDir)).toBe(true);
    expect(isRunning(pid)).toBe(false);
    expect(fs.existsSync(path.join(runDir, 'nginx.pid'))).toBe(false);
    expect(runningGatewayPid(runDir)).toBeUndefined();
  });

  it('reports "not running" when stopping a gateway that is not running, even with a stale pid file', async () => {
    fs.writeFileSync(path.join(runDir, 'nginx.pid'), `${process.pid}\n`);

    expect(runningGatewayPid(runDir)).toBeUndefined();
    expect(await stopGateway(runDir)).toBe(false);
    expect(isRunning(process.pid)).toBe(true);
  });

  it("fails with nginx's reason when the port is taken", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      await expect(
        startGateway({
          runDir,
          listenPort: port,
          listenAddress: '127.0.0.1',
          services: loadServices(),
        }),
      ).rejects.toThrow(/Address already in use/);
      expect(runningGatewayPid(runDir)).toBeUndefined();
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
