/**
 * One e-mail template: its subject line, its HTML body and its plain-text
 * body, all Handlebars. The subject and the text are plain text (rendered
 * without HTML escaping, then cleaned of control characters); the HTML is
 * escaped by default (`{{ }}`), and `{{{ }}}` is used nowhere on user data.
 * Bodies are wrapped in the one layout (layout.ts).
 */
export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}
