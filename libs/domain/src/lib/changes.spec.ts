import { applyChanges, hasChanges } from './changes';

describe('applyChanges', () => {
  it('applies what differs and reports it with both values', () => {
    const target = { name: 'Support', description: null as string | null, tags: ['a'] };
    const changes = applyChanges(target, { name: 'Help', description: null, tags: ['a'] });
    expect(changes).toEqual({ name: { from: 'Support', to: 'Help' } });
    expect(target.name).toBe('Help');
    expect(hasChanges(changes)).toBe(true);
  });

  it('reports nothing for a patch that changes nothing, arrays and objects compared by value', () => {
    const target = { tags: ['a', 'b'], hours: { start: '09:00' } };
    expect(hasChanges(applyChanges(target, { tags: ['a', 'b'], hours: { start: '09:00' } }))).toBe(
      false,
    );
  });

  it('ignores undefined fields (not sent), but applies null (cleared)', () => {
    const target = { departmentId: 'd1' as string | null, name: 'x' };
    expect(applyChanges(target, { departmentId: null, name: undefined })).toEqual({
      departmentId: { from: 'd1', to: null },
    });
  });
});
