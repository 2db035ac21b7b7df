import { valuesPlaceholders } from './values-placeholders';

describe('valuesPlaceholders', () => {
  it('numbers the parameters row after row', () => {
    expect(valuesPlaceholders(2, 3)).toBe('($1, $2, $3), ($4, $5, $6)');
    expect(valuesPlaceholders(1, 1)).toBe('($1)');
  });
});
