/** Headers of a service calling another, for provider states set up through an authenticated API. */
import { bearerToken } from '../../src';

export const asService = (service: string) => ({ authorization: bearerToken({ sub: service, role: 'service' }) });
