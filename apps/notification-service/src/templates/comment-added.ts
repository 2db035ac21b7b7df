import type { TemplateSource } from './template-source';

export const commentAdded: TemplateSource = {
  subject:
    '[#{{ticket.number}}] New {{#if internal}}internal note{{else}}reply{{/if}}: {{ticket.title}}',
  html: `<p>Hello {{name}},</p>
<p>{{#if authorName}}{{authorName}}{{else}}Someone{{/if}} added {{#if internal}}an internal note{{else}}a reply{{/if}} to ticket <strong>#{{ticket.number}} {{ticket.title}}</strong>:</p>
<blockquote style="border-left:3px solid #dfe1e6;margin:0;padding-left:12px;white-space:pre-wrap">{{comment}}</blockquote>
<p><a href="{{url ticket.url}}">Open the ticket</a></p>`,
  text: `Hello {{name}},

{{#if authorName}}{{authorName}}{{else}}Someone{{/if}} added {{#if internal}}an internal note{{else}}a reply{{/if}} to ticket #{{ticket.number}} {{ticket.title}}:

{{comment}}

Open the ticket: {{ticket.url}}`,
};
