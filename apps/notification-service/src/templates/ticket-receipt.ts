import type { TemplateSource } from './template-source';

export const ticketReceipt: TemplateSource = {
  subject: '[#{{ticket.number}}] We received your request: {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>Your request was received as ticket <strong>#{{ticket.number}} {{ticket.title}}</strong>. We will get back to you.</p>
<p><a href="{{url ticket.url}}">Follow the ticket</a></p>`,
  text: `Hello {{name}},

Your request was received as ticket #{{ticket.number}} {{ticket.title}}. We will get back to you.

Follow the ticket: {{ticket.url}}`,
};
