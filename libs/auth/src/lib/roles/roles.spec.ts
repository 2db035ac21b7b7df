import type { Role } from '@helpdesk/contracts';
import { hasRoleAtLeast } from './roles';

describe('hasRoleAtLeast: requester < agent < manager < admin', () => {
  it.each<[Role, Role, boolean]>([
    ['requester', 'requester', true],
    ['requester', 'agent', false],
    ['agent', 'requester', true],
    ['agent', 'agent', true],
    ['agent', 'manager', false],
    ['manager', 'agent', true],
    ['manager', 'admin', false],
    ['admin', 'manager', true],
    ['admin', 'admin', true],
  ])('%s at least %s: %s', (role, minimum, allowed) => {
    expect(hasRoleAtLeast(role, minimum)).toBe(allowed);
  });

  it('grants nothing to a role it does not know', () => {
    expect(hasRoleAtLeast('superuser' as Role, 'requester')).toBe(false);
  });
});
