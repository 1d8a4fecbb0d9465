# One image for every service and the setup step; SERVICE picks which service runs (see
# docker-compose.yml, where the setup step runs `node dist/apps/setup/main.js`).
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --projects=tag:type:app

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only, exactly as locked, and none of their install scripts.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /workspace/dist/apps ./dist/apps
COPY tools/healthcheck.mjs tools/ops-entrypoint.sh ./tools/
# ops keeps its generated console token here (a volume in docker-compose.yml).
RUN mkdir -p /run/ops && chown node:node /run/ops
# Never root at run time; compose also makes the file system read-only.
USER node
ENV SERVICE=orders
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/main.js"]
