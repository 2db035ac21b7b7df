export { API_PREFIX, type HttpAppOptions, createHttpApp, listen } from './lib/app/create-http-app';
export { ApiProblemResponse, type OpenApiOptions } from './lib/app/openapi';
export {
  DEFAULT_PROBLEM_TYPE,
  type FieldError,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  ProblemException,
  type ProblemOptions,
} from './lib/problem/problem';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, PageQuery } from './lib/pagination/page-query';
export {
  type PageRequest,
  type Paginated,
  type Pagination,
  pageOffset,
  paginate,
} from './lib/pagination/paginate';
export {
  type SortDirection,
  type SortOrder,
  SortParam,
  type SortValue,
  parseSort,
  sortValues,
} from './lib/pagination/sort';
export {
  announceToSiblings,
  httpWorkers,
  onSiblingAnnouncement,
  serveInWorkers,
} from './lib/app/workers';
