import type { TemplateSource } from './template-source';

export const slaBreach: TemplateSource = {
  subject: '[#{{ticket.number}}] SLA breached ({{targetLabel}}): {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>Ticket <strong>#{{ticket.number}} {{ticket.title}}</strong> (priority {{ticket.priority}}) missed its {{targetLabel}} target, due at {{dueAt}}.</p>
<p><a href="{{url ticket.url}}">Open the ticket</a></p>`,
  text: `Hello {{name}},

Ticket #{{ticket.number}} {{ticket.title}} (priority {{ticket.priority}}) missed its {{targetLabel}} target, due at {{dueAt}}.

Open the ticket: {{ticket.url}}`,
};
