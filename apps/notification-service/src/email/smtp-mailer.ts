import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { EMAIL_SETTINGS, type EmailSettings } from './email-settings';
import { headerSafe } from './header-safe';

export interface OutgoingEmail {
  id: string;
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
}

/** What the sender does with a failure: try again later, or give up now. */
export type SendFailure = { permanent: boolean; message: string };

const CONNECTION_TIMEOUT_MS = 10_000;
const REACHABILITY_INTERVAL_MS = 15_000;

/** An SMTP reply code, when the failure was the server's answer. */
function responseCodeOf(error: unknown): number | undefined {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The SMTP side: one pooled nodemailer transport on SMTP_URL. Addresses go in
 * as `{ name, address }` objects and every header-bound string is cleaned of
 * control characters again here, whatever the caller did.
 */
@Injectable()
export class SmtpMailer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SmtpMailer.name);
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private reachability: { reachable: boolean | null; checkedAt: string | null; error?: string } = {
    reachable: null,
    checkedAt: null,
  };

  constructor(@Inject(EMAIL_SETTINGS) private readonly settings: EmailSettings) {
    const url = new URL(settings.smtpUrl);
    this.transport = nodemailer.createTransport({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 25,
      secure: url.protocol === 'smtps:',
      ...(url.username
        ? {
            auth: {
              user: decodeURIComponent(url.username),
              pass: decodeURIComponent(url.password),
            },
          }
        : {}),
      pool: true,
      maxConnections: 3,
      maxMessages: 100,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: CONNECTION_TIMEOUT_MS,
      socketTimeout: CONNECTION_TIMEOUT_MS,
      // One protocol line on the wire = one header; never trust it to a name.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  onModuleInit(): void {
    void this.checkReachability();
    this.timer = setInterval(() => void this.checkReachability(), REACHABILITY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.transport.close();
  }

  /** Resolves when the server accepted the message; rejects with a SendFailure otherwise. */
  async send(email: OutgoingEmail): Promise<void> {
    try {
      await this.transport.sendMail({
        from: { name: headerSafe(this.settings.from.name), address: this.settings.from.address },
        to: { name: headerSafe(email.toName ?? ''), address: email.to },
        subject: headerSafe(email.subject, 500),
        html: email.html,
        text: email.text,
        messageId: `<${email.id}@${this.settings.from.address.split('@')[1]}>`,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      this.markReachable();
    } catch (error) {
      throw this.classify(error);
    }
  }

  /** The last known state, for /health: never waits for the server. */
  status(): { reachable: boolean | null; checkedAt: string | null; error?: string } {
    return { ...this.reachability };
  }

  private classify(error: unknown): SendFailure {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const code = responseCodeOf(error);
    if (code === undefined) {
      const errorCode = (error as { code?: unknown } | null)?.code;
      // A connection, greeting, socket or DNS problem: the server was not reached.
      if (errorCode !== 'EENVELOPE' && errorCode !== 'EMESSAGE') this.markUnreachable(message);
      return { permanent: errorCode === 'EENVELOPE' || errorCode === 'EMESSAGE', message };
    }
    this.markReachable();
    // 5xx is a permanent rejection (RFC 5321 §4.2.1); 4xx is "try again later".
    return { permanent: code >= 500 && code < 600, message };
  }

  private async checkReachability(): Promise<void> {
    try {
      await this.transport.verify();
      this.markReachable();
    } catch (error) {
      this.markUnreachable(error instanceof Error ? error.message : String(error));
    }
  }

  private markReachable(): void {
    this.reachability = { reachable: true, checkedAt: new Date().toISOString() };
  }

  private markUnreachable(error: string): void {
    if (this.reachability.reachable !== false)
      this.logger.warn(`SMTP server unreachable: ${error}`);
    this.reachability = { reachable: false, checkedAt: new Date().toISOString(), error };
  }
}
