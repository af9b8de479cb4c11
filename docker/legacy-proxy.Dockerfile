# syntax=docker/dockerfile:1
# Ficus legacy-proxy image (strangler facade in front of the legacy PHP shop).
# Build context: the repo root (see docker/compose.yml).
# Ignore rules: docker/legacy-proxy.Dockerfile.dockerignore (BuildKit per-Dockerfile ignore file).

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

# ---- build: compile everything into dist/ ----
FROM deps AS build
COPY . .
RUN npm run build

# ---- runtime: prod deps + compiled output only ----
FROM base AS runtime
ENV NODE_ENV=production \
    PROXY_PORT=8080 \
    PROXY_ROUTES_FILE=/app/config/routes.yaml
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY --from=build /app/dist ./dist
# The route table the image starts with; mount your own over it (the proxy reloads it on change).
COPY --from=build /app/apps/legacy-proxy/routes.yaml ./config/routes.yaml
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PROXY_PORT || 8080) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/legacy-proxy/src/main.js"]
