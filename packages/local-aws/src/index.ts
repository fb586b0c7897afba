// @shop/local-aws: an in-process SNS + SQS endpoint that the AWS SDK talks to over HTTP.
export { startLocalAws } from './server';
export type { LocalAws, LocalAwsOptions } from './server';
export type { AdminAccess } from './admin-api';
export { ACCOUNT_ID } from './request-context';
