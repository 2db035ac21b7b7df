import type { TemplateSource } from './template-source';

export const ticketAssigned: TemplateSource = {
  subject: '[#{{ticket.number}}] Assigned to you: {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>Ticket <strong>#{{ticket.number}} {{ticket.title}}</strong> (priority {{ticket.priority}}) is now assigned to you.</p>
<p><a href="{{url ticket.url}}">Open the ticket</a></p>`,
  text: `Hello {{name}},

Ticket #{{ticket.number}} {{ticket.title}} (priority {{ticket.priority}}) is now assigned to you.

Open the ticket: {{ticket.url}}`,
};
