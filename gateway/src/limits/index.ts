export { limitsEnv, limitsConfig, type LimitsConfig } from './limits-env.ts';
export { Limit, tooComplex } from './too-complex.ts';
export { queryLimitRules } from './query-limit-rules.ts';
export { limitRequestBody, sendGraphQLError } from './limit-request-body.ts';
export { restoreRefusalCode } from './restore-refusal-code.ts';
export { countTokens } from './count-tokens.ts';
export { protectApollo } from './protect-apollo.ts';
