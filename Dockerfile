# syntax=docker/dockerfile:1
# The Workload Identity Console image (README "Install in a cluster"): Next's standalone output started by the
# same server entry as `npm start` (scripts/start.mjs), as UID 65532 on a read-only root filesystem, with one
# writable volume for DATA_DIR. e2e/image.spec.ts launches the assembled output exactly as the CMD below does
# (same command, ENV, user and read-only working directory), since docker cannot build on the test machines.

# Dependencies, including better-sqlite3's native addon, built against the runtime's glibc (Debian 12).
FROM node:22-bookworm-slim AS deps
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
WORKDIR /src
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npx next build && node scripts/assemble-standalone.mjs /out

# Distroless: no shell, no package manager; its "nonroot" user is UID/GID 65532.
FROM gcr.io/distroless/nodejs22-debian12:nonroot AS runtime
WORKDIR /app
COPY --from=build --chown=0:0 /out /app
USER 65532:65532
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data DRAIN_SECONDS=20 NEXT_TELEMETRY_DISABLED=1
# Audit log, sessions and job state (SQLite). Everything else is read-only (readOnlyRootFilesystem).
VOLUME ["/data"]
EXPOSE 3000
# SIGTERM drains: no new connections, in-flight requests and running actions get DRAIN_SECONDS, then exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/nodejs/bin/node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/nodejs/bin/node"]
CMD ["scripts/start.mjs"]
