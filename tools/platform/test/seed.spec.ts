import fs from 'node:fs';
import path from 'node:path';
import { runSeed } from '../lib/seed';
import { removeDir, scratchDir } from './support';

/**
 * `node main.js seed` as start runs it for a `"seed": true` app: a stand-in
 * main.js in a scratch build directory.
 */
describe('runSeed (node <outputPath>/main.js seed)', () => {
  let scratch: string;
  let outputPath: string;
  let logsDir: string;

  const writeMain = (source: string) => fs.writeFileSync(path.join(outputPath, 'main.js'), source);

  beforeEach(() => {
    scratch = scratchDir('platform-seed');
    outputPath = path.join(scratch, 'dist');
    logsDir = path.join(scratch, 'logs');
    fs.mkdirSync(outputPath);
  });

  afterEach(() => removeDir(scratch));

  it('runs `main.js seed` with the app environment and returns its stdout; the log gets stdout and stderr', async () => {
    writeMain(`
      console.error('a warning on stderr');
      console.log('command: ' + process.argv[2] + ', database: ' + process.env.DEMO_SERVICE_DATABASE_URL);
      console.log('  admin  admin@demo.example');
    `);

    const output = await runSeed('demo-service', {
      outputPath,
      cwd: scratch,
      env: { ...process.env, DEMO_SERVICE_DATABASE_URL: 'postgres://x/demo' },
      logsDir,
    });

    expect(output).toBe('command: seed, database: postgres://x/demo\n  admin  admin@demo.example');
    const log = fs.readFileSync(path.join(logsDir, 'demo-service.seed.log'), 'utf8');
    expect(log).toContain('a warning on stderr');
    expect(log).toContain('command: seed');
  });

  it("leaves the app's structured (JSON) log lines out of what it returns, not out of the log", async () => {
    writeMain(`
      console.log(JSON.stringify({ level: 30, msg: 'connected to RabbitMQ' }));
      console.log('Demo organization "demo":');
      console.log(JSON.stringify({ level: 30, msg: 'context closed' }));
      console.log('  {not json} admin@demo.example');
    `);

    const output = await runSeed('demo-service', {
      outputPath,
      cwd: scratch,
      env: process.env,
      logsDir,
    });

    expect(output).toBe('Demo organization "demo":\n  {not json} admin@demo.example');
    expect(fs.readFileSync(path.join(logsDir, 'demo-service.seed.log'), 'utf8')).toContain(
      'connected to RabbitMQ',
    );
  });

  it('fails naming the app, the exit code and the log, with its tail', async () => {
    writeMain(
      `console.log('connecting'); console.error('relation "users" does not exist'); process.exit(3);`,
    );

    await expect(
      runSeed('demo-service', { outputPath, cwd: scratch, env: process.env, logsDir }),
    ).rejects.toThrow(
      /demo-service: seeding demo data failed \(exit 3\); .*demo-service\.seed\.log:\n[\s\S]*relation "users" does not exist/,
    );
  });

  it('kills a seed that outlives its deadline and says so', async () => {
    writeMain(`console.log('stuck'); setInterval(() => {}, 1000);`);

    await expect(
      runSeed('demo-service', {
        outputPath,
        cwd: scratch,
        env: process.env,
        logsDir,
        timeoutMs: 500,
      }),
    ).rejects.toThrow(/did not finish within 1 s and was killed[\s\S]*stuck/);
  });
});
