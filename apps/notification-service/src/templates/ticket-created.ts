import type { TemplateSource } from './template-source';

export const ticketCreated: TemplateSource = {
  subject: '[#{{ticket.number}}] New ticket: {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>A new ticket was opened{{#if requesterName}} by {{requesterName}}{{/if}}:</p>
<p><strong>#{{ticket.number}} {{ticket.title}}</strong> (priority {{ticket.priority}})</p>
<blockquote style="border-left:3px solid #dfe1e6;margin:0;padding-left:12px;white-space:pre-wrap">{{ticket.description}}</blockquote>
<p><a href="{{url ticket.url}}">Open the ticket</a></p>`,
  text: `Hello {{name}},

A new ticket was opened{{#if requesterName}} by {{requesterName}}{{/if}}:

#{{ticket.number}} {{ticket.title}} (priority {{ticket.priority}})

{{ticket.description}}

Open the ticket: {{ticket.url}}`,
};
