# One image recipe for the whole monorepo. The `build` stage installs and compiles the workspace once; every image
# below copies what it needs out of it, so the build cache shares that stage between all of them.
#
#   docker build --build-arg SERVICE=order -t resilient-shop/order-service:local .   # one service (the default target)
#   docker build --target tools -t resilient-shop/tools:local .                       # provision, local-aws, demo
#   docker build --target console -t resilient-shop/console:local .                   # the learner's console
#
# (`docker compose build` builds all of them under these same tags.) Each image is a `pnpm deploy` of one package:
# its files plus production dependencies (workspace packages copied in with their `files`, e.g. dist/ and
# migrations/), on a fresh Node image without package managers. No sources, no dev tools, no pnpm store.

ARG NODE_IMAGE=node:24.22-bookworm-slim
ARG PNPM_VERSION=11.28.10

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
# Only what an image runs: the services, the demo (which brings messaging's CLIs and local-aws) and the console
# with their dependencies, not the CDK app, benchmarks or test tools.
RUN pnpm install --offline --frozen-lockfile \
 && pnpm turbo run build --filter='./services/*' --filter=@shop/demo --filter=@shop/console --output-logs=errors-only

FROM build AS service-deploy
ARG SERVICE=user
# pnpm's default deploy needs inject-workspace-packages=true; --legacy deploys a normally linked workspace.
RUN pnpm --filter "@shop/${SERVICE}-service" --prod deploy --legacy /out

FROM build AS tools-deploy
RUN pnpm --filter @shop/demo --prod deploy --legacy /out

FROM build AS console-deploy
RUN pnpm --filter @shop/console --prod deploy --legacy /out

# What every image runs on. A service needs node and nothing else: npm, npx, corepack and yarn come with the Node
# image but would only be tools for changing the image from inside.
FROM ${NODE_IMAGE} AS runtime
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production

# The one-shot jobs, as the unprivileged `node` user: the demo (`node dist/cli.js`), with topology provisioning,
# the DLQ tool and local-aws among its dependencies (`node node_modules/@shop/messaging/dist/cli/provision.js`,
# `…/dlq.js`, `node node_modules/@shop/local-aws/dist/cli.js`).
FROM runtime AS tools
WORKDIR /srv/tools
COPY --from=tools-deploy /out ./
# Where local-aws keeps its state file (a volume in docker-compose.local-aws.yml); a new volume copies this
# directory's owner, so the unprivileged user can write there.
RUN mkdir -p /var/lib/local-aws && chown node:node /var/lib/local-aws
USER node

# The learner's console (`node dist/server/main.js`): its server and the built page, as the unprivileged user.
FROM runtime AS console
WORKDIR /srv/console
COPY --from=console-deploy /out ./
USER node
CMD ["node", "dist/server/main.js"]

# Last stage, so the default target: one service, as the unprivileged `node` user of the Node image.
FROM runtime AS service
ARG SERVICE=user
ENV HOST=0.0.0.0
# Named after the service: @shop/db records a service's migrations under its directory's name (`order/001_….sql`),
# the same as in the repository, so a database means the same thing to the image and to a local run.
WORKDIR /srv/${SERVICE}
COPY --from=service-deploy /out ./
# Writable by the service only for PGlite's data (DATA_DIR, used when no DATABASE_URL is given); the code stays read-only.
RUN mkdir .data && chown node:node .data
USER node
# SIGTERM goes straight to node (no shell in between), which drains requests and exits (service-kit's runService).
CMD ["node", "dist/main.js"]
