import { systemServices } from '../src';

describe('systemServices', () => {
  const services = Object.entries(systemServices);

  it('gives every service a port of its own', () => {
    const ports = services.map(([, spec]) => spec.port);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('never has a service call itself, and reads each callee from a variable of its own', () => {
    for (const [caller, spec] of services) {
      expect(Object.keys(spec.calls)).not.toContain(caller);
      const variables = Object.values(spec.calls);
      expect(new Set(variables).size).toBe(variables.length);
    }
  });

  it('leaves the gateway uncalled: it is the edge, reached from outside only', () => {
    const callees = services.flatMap(([, spec]) => Object.keys(spec.calls));
    expect(callees).not.toContain('gateway');
  });
});
