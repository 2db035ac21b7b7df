import { ListTotals } from './list-totals';

describe('ListTotals', () => {
  it('counts once within the TTL, again after a write to the organization, never across organizations', async () => {
    const totals = new ListTotals();
    let counted = 0;
    const count = async () => ++counted;

    expect(await totals.total('org-a', 'status=open', count)).toBe(1);
    expect(await totals.total('org-a', 'status=open', count)).toBe(1);
    expect(await totals.total('org-b', 'status=open', count)).toBe(2);
    expect(await totals.total('org-a', 'status=closed', count)).toBe(3);

    totals.forget('org-a');
    expect(await totals.total('org-a', 'status=open', count)).toBe(4);
    expect(await totals.total('org-b', 'status=open', count)).toBe(2);
  });

  it('always counts when the cache is off (LIST_TOTAL_CACHE_MS=0)', async () => {
    const previous = process.env['LIST_TOTAL_CACHE_MS'];
    process.env['LIST_TOTAL_CACHE_MS'] = '0';
    try {
      const totals = new ListTotals();
      let counted = 0;
      await totals.total('org', 'k', async () => ++counted);
      expect(await totals.total('org', 'k', async () => ++counted)).toBe(2);
    } finally {
      if (previous === undefined) delete process.env['LIST_TOTAL_CACHE_MS'];
      else process.env['LIST_TOTAL_CACHE_MS'] = previous;
    }
  });
});
