import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@helpdesk/testing';

export interface ReceivedEmail {
  id: string;
  subject: string;
  to: { address: string; name: string }[];
  from: { address: string; name: string }[];
  html: string;
  text: string;
  headers: Record<string, unknown>;
}

const MAILDEV_CLI = path.join(
  path.dirname(require.resolve('maildev/package.json', { paths: [process.cwd()] })),
  'dist/bin/maildev.js',
);

/**
 * A real SMTP server for the tests: MailDev (3.x is ES-modules only, so it runs
 * as its own process, like `npm start` runs it), read through its REST API.
 * `stop()` / `start()` take the SMTP port away and bring it back.
 */
export class MailSink {
  private child: ChildProcess | undefined;

  private constructor(
    readonly smtpPort: number,
    readonly webPort: number,
  ) {}

  static async start(): Promise<MailSink> {
    const sink = new MailSink(await freePort(), await freePort());
    await sink.start();
    return sink;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        MAILDEV_CLI,
        '--smtp',
        String(this.smtpPort),
        '--web',
        String(this.webPort),
        '--ip',
        '127.0.0.1',
        '--web-ip',
        '127.0.0.1',
        '--silent',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const answer = await fetch(`http://127.0.0.1:${this.webPort}/api/healthz`);
        if (answer.ok) return;
      } catch {
        // not up yet
      }
      if (child.exitCode !== null) throw new Error(`maildev exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error('maildev did not start within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async emails(): Promise<ReceivedEmail[]> {
    const answer = await fetch(`http://127.0.0.1:${this.webPort}/api/email`);
    return (await answer.json()) as ReceivedEmail[];
  }

  async emailsTo(address: string): Promise<ReceivedEmail[]> {
    return (await this.emails()).filter((email) =>
      email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()),
    );
  }

  /** The message exactly as it came over SMTP. */
  async source(id: string): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.webPort}/api/email/${id}/source`)).text();
  }
}
