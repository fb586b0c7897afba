/**
 * The images the container environment runs: the same tags as docker-compose.yml (infra/compose's test holds the two
 * together), so a suite on containers meets what `docker compose up` runs.
 */
export const POSTGRES_IMAGE = 'postgres:17.6-bookworm';
export const REDIS_IMAGE = 'redis:7.4.5-alpine';
/** 4.14.0 is the last tag that starts without an account; newer tags need LOCALSTACK_AUTH_TOKEN (passed through). */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';
