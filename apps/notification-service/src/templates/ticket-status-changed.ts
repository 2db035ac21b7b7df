import type { TemplateSource } from './template-source';

export const ticketStatusChanged: TemplateSource = {
  subject: '[#{{ticket.number}}] Status changed to {{statusTo}}: {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>The status of ticket <strong>#{{ticket.number}} {{ticket.title}}</strong> changed from {{statusFrom}} to <strong>{{statusTo}}</strong>.</p>
<p><a href="{{url ticket.url}}">Open the ticket</a></p>`,
  text: `Hello {{name}},

The status of ticket #{{ticket.number}} {{ticket.title}} changed from {{statusFrom}} to {{statusTo}}.

Open the ticket: {{ticket.url}}`,
};
