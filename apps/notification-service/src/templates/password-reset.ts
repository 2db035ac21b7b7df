import type { TemplateSource } from './template-source';

export const passwordReset: TemplateSource = {
  subject: 'Reset your password',
  html: `<p>Hello {{name}},</p>
<p>Someone asked to reset the password of your account ({{email}}).</p>
<p><a href="{{url resetUrl}}">Choose a new password</a></p>
<p>The link can be used once and expires at {{expiresAt}}. If you did not ask for this, ignore this e-mail: your password stays as it is.</p>`,
  text: `Hello {{name}},

Someone asked to reset the password of your account ({{email}}).

Choose a new password: {{resetUrl}}

The link can be used once and expires at {{expiresAt}}. If you did not ask for this, ignore this e-mail: your password stays as it is.`,
};
