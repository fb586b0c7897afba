// @shop/infra-aws: the messaging topology as CDK constructs, for this repository's app or your own stacks.
export { MessagingTopology, DEAD_LETTER_RETENTION, type MessagingTopologyProps } from './messaging-topology';
export { MessagingStack, type MessagingStackProps } from './messaging-stack';
