/** The one layout every e-mail is wrapped in; `body` is the already rendered (escaped) template. */
export const layoutHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{subject}}</title>
  </head>
  <body style="margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#172b4d">
    <table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="padding:24px 0">
      <tr>
        <td align="center">
          <table role="presentation" width="600" cellspacing="0" cellpadding="0" style="background:#ffffff;border-radius:6px;padding:24px">
            <tr><td style="font-size:18px;font-weight:bold;padding-bottom:16px">Helpdesk</td></tr>
            <tr><td style="font-size:14px;line-height:1.5">{{{body}}}</td></tr>
            <tr><td style="font-size:12px;color:#6b778c;padding-top:24px">You receive this e-mail because of your account at <a href="{{url webUrl}}">{{webUrl}}</a>. Notification e-mails can be turned off in your preferences.</td></tr>
          </table>
        </td>
      </tr>
    </table>
  </body>
</html>
`;

export const layoutText = `{{{body}}}

--
Helpdesk · {{{webUrl}}}
Notification e-mails can be turned off in your preferences.
`;
