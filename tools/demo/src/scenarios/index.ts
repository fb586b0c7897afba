/** The scenarios, in the order the demo tells them. */
import type { Scenario } from '../scenario';
import { happyPath } from './01-happy-path';
import { outOfStock } from './02-out-of-stock';
import { paymentDeclined } from './03-payment-declined';
import { paymentDown } from './04-payment-down';
import { rateLimit } from './05-rate-limit';
import { eventualConsistency } from './06-eventual-consistency';
import { crashAndResume } from './07-crash-and-resume';
import { poisonMessage } from './08-poison-message';

export const scenarios: Scenario[] = [
  happyPath,
  outOfStock,
  paymentDeclined,
  paymentDown,
  rateLimit,
  eventualConsistency,
  crashAndResume,
  poisonMessage,
];
