/** `($1, $2), ($3, $4)` for a multi-row VALUES of `rows` rows and `columns` columns. */
export function valuesPlaceholders(rows: number, columns: number): string {
  return Array.from(
    { length: rows },
    (_, row) =>
      `(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}`).join(', ')})`,
  ).join(', ');
}
