import Handlebars from 'handlebars';
import { headerSafe } from '../email/header-safe';
import { commentAdded } from './comment-added';
import { invitation } from './invitation';
import { layoutHtml, layoutText } from './layout';
import { passwordReset } from './password-reset';
import { slaBreach } from './sla-breach';
import type { TemplateSource } from './template-source';
import { ticketAssigned } from './ticket-assigned';
import { ticketCreated } from './ticket-created';
import { ticketReceipt } from './ticket-receipt';
import { ticketStatusChanged } from './ticket-status-changed';
import { welcome } from './welcome';

const sources = {
  welcome,
  invitation,
  'password-reset': passwordReset,
  'ticket-created': ticketCreated,
  'ticket-receipt': ticketReceipt,
  'ticket-assigned': ticketAssigned,
  'ticket-status-changed': ticketStatusChanged,
  'comment-added': commentAdded,
  'sla-breach': slaBreach,
} satisfies Record<string, TemplateSource>;

export type TemplateName = keyof typeof sources;
export const TEMPLATE_NAMES = Object.keys(sources) as TemplateName[];

/** Account mails: always sent, whatever the preferences say; their bodies carry one-time links. */
export const ACCOUNT_TEMPLATES: ReadonlySet<TemplateName> = new Set([
  'welcome',
  'invitation',
  'password-reset',
]);

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = (data: unknown) => string;

/**
 * Handlebars of its own (no helpers or partials registered by anyone else),
 * prototype access off (the 4.6+ default), strict off: a missing field renders
 * empty, so a caller of the internal endpoint cannot break a template.
 */
const handlebars = Handlebars.create();

const HTML_ATTRIBUTE_SPECIALS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * `href="{{url x}}"`: only http(s) links (a `javascript:` URL from a caller's
 * data becomes `#`), escaped for an attribute without touching `=` and `&`
 * more than needed, so links stay readable in the source.
 */
handlebars.registerHelper('url', (value: unknown) => {
  const link = typeof value === 'string' ? value.trim() : '';
  if (!/^https?:\/\/[^\s]+$/i.test(link)) return '#';
  return new Handlebars.SafeString(
    link.replace(/[&<>"'`]/g, (char) => HTML_ATTRIBUTE_SPECIALS[char]),
  );
});
const html = (source: string): Compiled => handlebars.compile(source);
// Plain text is not HTML: nothing to escape (a title "a < b" must read so).
const plain = (source: string): Compiled => handlebars.compile(source, { noEscape: true });

const layout = { html: html(layoutHtml), text: plain(layoutText) };

/** Compiled once, at module load. */
const compiled = Object.fromEntries(
  Object.entries(sources).map(([name, source]) => [
    name,
    { subject: plain(source.subject), html: html(source.html), text: plain(source.text) },
  ]),
) as Record<TemplateName, { subject: Compiled; html: Compiled; text: Compiled }>;

export function isTemplateName(name: string): name is TemplateName {
  return Object.prototype.hasOwnProperty.call(sources, name);
}

/** `data` gets `webUrl` added; the subject comes out on one line, without control characters. */
export function renderEmail(
  template: TemplateName,
  data: Record<string, unknown>,
  webUrl: string,
): RenderedEmail {
  const context = { ...data, webUrl };
  const parts = compiled[template];
  const subject = headerSafe(parts.subject(context), 500) || 'Helpdesk';
  return {
    subject,
    html: layout.html({ subject, webUrl, body: parts.html(context) }),
    text: layout.text({ webUrl, body: parts.text(context) }),
  };
}
