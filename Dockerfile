# The aisbench-tui image for sharded runs (aisbench-tui k8s prints a Job that uses it).
#   docker build -t aisbench-tui:0.1 .
#   docker run --rm aisbench-tui:0.1 --help
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: `prepare` builds, which needs the sources copied below.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY themes ./themes
COPY src/config/builtin ./src/config/builtin
# Unprivileged; the Job's pod gets fsGroup 1000 so it can write to the results volume.
USER node
ENTRYPOINT ["node", "/app/bin/aisbench-tui.mjs"]
