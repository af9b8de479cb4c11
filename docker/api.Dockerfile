# syntax=docker/dockerfile:1
# Ficus API image. Build context: the repo root (see docker/compose.yml).
# Ignore rules: docker/api.Dockerfile.dockerignore (BuildKit per-Dockerfile ignore file).

ARG NODE_IMAGE=node:20-bookworm-slim
# npm 11 is required: it honours package.json "allowScripts" (install scripts are blocked otherwise).
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS base
ARG NPM_VERSION
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false
RUN npm install -g "npm@${NPM_VERSION}" && npm cache clean --force
WORKDIR /app

# ---- deps: full install (dev deps needed for tsc) ----
FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci

# ---- build: compile everything into dist/, then bundle the API (dist/bundle/api/main.js) ----
FROM deps AS build
COPY . .
RUN npm run build

# ---- runtime: prod deps + compiled output only ----
# The API runs from its bundle (one file: a faster start); the packages the bundle leaves external
# (native addons, pino, pg, ioredis: see libs/devtools/src/bundle-api.ts) load from node_modules, and
# the unbundled dist/ stays for the migrations (db:migrate:built) and the CLIs. The bundle's V8 code
# cache is written to /tmp (FICUS_CODE_CACHE_DIR): a restarted container starts warm, a new one cold.
FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=32", "dist/bundle/api/main.js"]
