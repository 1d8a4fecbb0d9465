# One image for every service; SERVICE picks which one runs (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /workspace
COPY package.json package-lock.json ./
# `npm ci` trips over optional native packages for other platforms; install from the lockfile instead.
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --projects=tag:type:app

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /workspace/dist/apps ./dist/apps
COPY tools/healthcheck.mjs tools/ops-entrypoint.sh ./tools/
# ops keeps its generated console token here (a volume in docker-compose.yml).
RUN mkdir -p /run/ops && chown node:node /run/ops
USER node
ENV SERVICE=orders
CMD ["sh", "-c", "exec node dist/apps/${SERVICE}/main.js"]
