import type { TemplateSource } from './template-source';

export const welcome: TemplateSource = {
  subject: 'Welcome to {{organizationName}}',
  html: `<p>Hello {{name}},</p>
<p>Welcome to the helpdesk of <strong>{{organizationName}}</strong>. Your account ({{email}}) is ready.</p>
<p><a href="{{url loginUrl}}">Sign in</a></p>`,
  text: `Hello {{name}},

Welcome to the helpdesk of {{organizationName}}. Your account ({{email}}) is ready.

Sign in: {{loginUrl}}`,
};
