import { portsFromBase } from '../src/system';

describe('pnpm demo --port-base', () => {
  it('derives every port from the base, 3000 giving the documented service ports', () => {
    expect(portsFromBase(3000)).toEqual({
      services: { gateway: 3000, order: 3001, user: 3002, inventory: 3003, payment: 3004, shipping: 3005 },
      console: 3006,
      gatewayMetrics: 3007,
      localAws: 3008,
    });
    const beside = portsFromBase(4100);
    expect(Object.values(beside.services)).toEqual([4100, 4101, 4102, 4103, 4104, 4105]);
    expect([beside.console, beside.gatewayMetrics, beside.localAws]).toEqual([4106, 4107, 4108]);
  });

  it('refuses a base that is not a usable port range', () => {
    expect(() => portsFromBase(80)).toThrow('--port-base must be an integer from 1024 to 65527 (got 80)');
    expect(() => portsFromBase(65_530)).toThrow('--port-base');
    expect(() => portsFromBase(Number('abc'))).toThrow('(got NaN)');
  });
});
