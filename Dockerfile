# syntax=docker/dockerfile:1
# One image recipe for the whole monorepo. The `build` stage installs and compiles every workspace package once;
# BuildKit shares it between all the images below.
#
#   docker build --build-arg SERVICE=order -t resilient-shop/order-service .   # one service (the default target)
#   docker build --target tools -t resilient-shop/tools .                       # provision, local-aws, demo
#
# A service image runs `node dist/main.js` from a `pnpm deploy` of that service alone: its files plus production
# dependencies (workspace packages copied in with their `files`, e.g. dist/ and migrations/), no sources, no dev tools.

ARG NODE_IMAGE=node:24.11-bookworm-slim
ARG PNPM_VERSION=10.34.9

FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION
ENV TURBO_TELEMETRY_DISABLED=1 \
    CI=1
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo

FROM base AS build
# Dependencies first, from the lockfile alone: this layer is rebuilt only when pnpm-lock.yaml changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
 && pnpm turbo run build --output-logs=errors-only

FROM build AS deploy
ARG SERVICE=user
# pnpm 10's default deploy needs inject-workspace-packages=true; --legacy deploys a normally linked workspace.
RUN pnpm --filter "@shop/${SERVICE}-service" --prod deploy --legacy /out

# The built workspace as is: one-shot jobs that run scripts of several packages (topology provisioning, the
# local-aws endpoint, the demo runner). Commands are paths from the repository root, e.g.
# `node packages/messaging/dist/cli/provision.js`.
FROM build AS tools
ENV NODE_ENV=production
# Where local-aws keeps its state file (a volume in docker-compose.local-aws.yml); a new volume copies this
# directory's owner, so the unprivileged user can write there.
RUN mkdir -p /var/lib/local-aws && chown node:node /var/lib/local-aws
USER node

# Last stage, so the default target: one service, as the unprivileged `node` user of the official image.
FROM ${NODE_IMAGE} AS service
ARG SERVICE=user
ENV NODE_ENV=production \
    HOST=0.0.0.0
# Named after the service: @shop/db records a service's migrations under its directory's name (`order/001_….sql`),
# the same as in the repository, so a database means the same thing to the image and to a local run.
WORKDIR /srv/${SERVICE}
COPY --from=deploy /out ./
# Writable by the service only for PGlite's data (DATA_DIR, used when no DATABASE_URL is given); the code stays read-only.
RUN mkdir .data && chown node:node .data
USER node
# SIGTERM goes straight to node (no shell in between), which drains requests and exits (service-kit's runService).
CMD ["node", "dist/main.js"]
