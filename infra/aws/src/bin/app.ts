#!/usr/bin/env node
// The CDK app (`cdk.json` runs the compiled file): one stack with the messaging topology, in the account and region
// the CDK CLI resolves from your AWS profile.
import { App } from 'aws-cdk-lib';
import { MessagingStack } from '../messaging-stack';

const app = new App();
new MessagingStack(app, 'ResilientShopMessaging', {
  description: 'Resilient Shop: SNS topics, SQS queues and dead-letter queues, filtered subscriptions',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
