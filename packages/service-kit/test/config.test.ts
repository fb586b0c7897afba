import { randomBytes } from 'node:crypto';
import { ConfigError, DEV_JWT_SECRET, loadConfig, PUBLISHED_JWT_SECRETS, serviceConfigSchema, Type } from '../src';

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

describe('NODE_ENV', () => {
  it('accepts development, test and production, and defaults to development', () => {
    expect(loadConfig(schema, {}).NODE_ENV).toBe('development');
    expect(loadConfig(schema, { NODE_ENV: 'test' }).NODE_ENV).toBe('test');
  });

  it('refuses anything else instead of treating it as development', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'prod' })).toThrow(
      'NODE_ENV="prod": expected one of development, test, production',
    );
  });
});

describe('JWT_SECRET in production', () => {
  const generated = randomBytes(48).toString('base64url');
  const production = (JWT_SECRET?: string) => () => loadConfig(schema, { NODE_ENV: 'production', JWT_SECRET });

  it('accepts a generated secret', () => {
    expect(production(generated)().JWT_SECRET).toBe(generated);
    expect(production(randomBytes(32).toString('hex'))).not.toThrow();
  });

  it('must be set: the development default is not used', () => {
    expect(production()).toThrow(
      /^Invalid configuration: JWT_SECRET must be set in production; generate one with: node -e/,
    );
  });

  it('refuses every secret published in this repository, naming which one it is', () => {
    expect(production(DEV_JWT_SECRET)).toThrow('JWT_SECRET is the development default, which is published');
    expect(production('compose-local-only-secret-change-me-0123456789')).toThrow('the former docker-compose default');
    for (const secret of PUBLISHED_JWT_SECRETS.keys()) expect(production(secret)).toThrow(ConfigError);
  });

  it('refuses a secret under 32 bytes, and entropy-poor text of any length', () => {
    expect(production('Zq8#kP2m!xW4')).toThrow(/JWT_SECRET=\(12 characters, not shown\): expected string length/);
    for (const weak of [
      'a'.repeat(64),
      'abcabcabcabcabcabcabcabcabcabcabcabc',
      '0101011010100101101001011010010110100101',
      'passwordpasswordpasswordpassword1',
    ]) {
      expect(production(weak)).toThrow('JWT_SECRET is too predictable');
    }
  });

  it('never prints the secret, and says so in one line with a way to generate one', () => {
    const message = (() => {
      try {
        production('a'.repeat(64))();
      } catch (error) {
        return (error as Error).message;
      }
    })()!;
    expect(message).not.toContain('aaaa');
    expect(message).toContain(`randomBytes(48).toString('base64url')`);
    expect(message).not.toContain('\n');
  });

  it('keeps the development default outside production', () => {
    expect(loadConfig(schema, { NODE_ENV: 'test' }).JWT_SECRET).toBe(DEV_JWT_SECRET);
  });

  it('hides the password of a URL it quotes', () => {
    const withPassword = serviceConfigSchema(1, { DATABASE_URL: Type.String({ pattern: '^postgres://' }) });
    const load = () => loadConfig(withPassword, { DATABASE_URL: 'mysql://shop:hunter2@db/x' });
    expect(load).toThrow('DATABASE_URL="mysql://shop:***@db/x"');
    expect(load).not.toThrow('hunter2');
  });
});
