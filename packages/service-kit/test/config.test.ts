import { ConfigError, loadConfig, serviceConfigSchema, Type } from '../src';

const schema = serviceConfigSchema(3002, { DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres' })) });

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    expect(loadConfig(schema, { PORT: '4000' })).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    expect(loadConfig(schema, {})).toMatchObject({ PORT: 3002 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { PORT: '' }).PORT).toBe(3002);
  });

  it('names the variable and the bad value in one line', () => {
    const error = (() => {
      try {
        loadConfig(schema, { PORT: 'abc' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^Invalid configuration: PORT="abc": expected integer/);
    expect(error!.message).not.toContain('\n');
  });

  it('reports every bad variable', () => {
    const load = () => loadConfig(schema, { PORT: '99999', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    expect(load).toThrow('PORT="99999": expected integer to be less or equal to 65535');
    expect(load).toThrow('LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent');
    expect(load).toThrow('DATABASE_URL="mysql://x"');
  });
});
