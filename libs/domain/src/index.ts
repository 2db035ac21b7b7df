export { RuleViolation, type RuleKind } from './lib/rule-violation';
export { applyChanges, hasChanges, type Changes } from './lib/changes';
