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
