import type { TemplateSource } from './template-source';

export const invitation: TemplateSource = {
  subject: 'You are invited to {{organizationName}}',
  html: `<p>Hello {{name}},</p>
<p>An account was created for you ({{email}}) at the helpdesk of <strong>{{organizationName}}</strong>.</p>
<p><a href="{{url acceptUrl}}">Choose your password</a></p>
<p>The link can be used once and expires at {{expiresAt}}.</p>`,
  text: `Hello {{name}},

An account was created for you ({{email}}) at the helpdesk of {{organizationName}}.

Choose your password: {{acceptUrl}}

The link can be used once and expires at {{expiresAt}}.`,
};
