import { headerSafe, isDeliverableAddress } from '../email/header-safe';
import { renderEmail, TEMPLATE_NAMES } from '.';

describe('e-mail templates', () => {
  it('renders every template with a one-line subject, the layout and both bodies', () => {
    for (const name of TEMPLATE_NAMES) {
      const email = renderEmail(
        name,
        { name: 'Ann', ticket: { number: 1, title: 'T', url: 'http://w/tickets/1' } },
        'http://w',
      );
      expect(email.subject).not.toMatch(/[\r\n]/);
      expect(email.subject.length).toBeGreaterThan(0);
      expect(email.html).toContain('<!doctype html>');
      expect(email.text).toContain('Hello Ann');
    }
  });

  it('escapes HTML, keeps text literal, and refuses non-http links', () => {
    const email = renderEmail(
      'password-reset',
      { name: '<img src=x onerror=alert(1)>', resetUrl: 'javascript:alert(1)' },
      'http://w',
    );
    expect(email.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('href="#"');
    expect(email.text).toContain('Hello <img src=x onerror=alert(1)>');
    const link = renderEmail(
      'password-reset',
      { resetUrl: 'http://w/reset-password?token=a"b' },
      'http://w',
    );
    expect(link.html).toContain('href="http://w/reset-password?token=a&quot;b"');
  });

  it('cleans header values and checks addresses', () => {
    expect(headerSafe('Hi\r\nBcc: evil@x\u0000\u2028end')).toBe('Hi Bcc: evil@x end');
    expect(isDeliverableAddress('ann@example.test')).toBe(true);
    expect(isDeliverableAddress('ann@example.test\r\nBcc: x@y')).toBe(false);
    expect(isDeliverableAddress('Ann <ann@example.test>')).toBe(false);
  });
});
