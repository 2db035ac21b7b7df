/**
 * The SQL pieces search shares. Text is HTML-escaped *before* ts_headline
 * wraps matches in <mark>, so a ticket body can never inject markup into a
 * highlight: the only tags in it are ours.
 */
export const TS_CONFIG = 'english';

export const tsQuery = (parameter: string) => `websearch_to_tsquery('${TS_CONFIG}', :${parameter})`;

const escapedHtml = (expression: string) =>
  `replace(replace(replace(replace(${expression}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')`;

export const highlightOf = (expression: string, parameter: string) =>
  `ts_headline('${TS_CONFIG}', ${escapedHtml(expression)}, ${tsQuery(parameter)},
     'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "')`;

/**
 * A search page's total: every row of the page carries it (a window count).
 * An empty page says nothing about it unless it is the first — then there is
 * nothing; past the last page it is counted alone.
 */
export async function searchTotal(
  page: ReadonlyArray<{ search_total: string }>,
  offset: number,
  countAlone: () => Promise<number>,
): Promise<number> {
  const [first] = page;
  if (first) return Number(first.search_total);
  return offset === 0 ? 0 : countAlone();
}
