export { testEngines, createTestDatabase, type TestDatabase } from '@shop/db/testing';
export { eventually, type EventuallyOptions } from './eventually';
