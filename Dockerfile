# syntax=docker/dockerfile:1
# Build stage: full dependencies (the workspace packages too) to compile TypeScript.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/embedded-mongo/package.json ./packages/embedded-mongo/
COPY packages/fake-slack/package.json ./packages/fake-slack/
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY packages ./packages
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# Runtime stage: production dependencies and compiled output only, as a non-root user. The workspace
# packages (embedded engine, fake Slack) serve tests and the sandbox, so they are left out:
# --workspaces=false installs the root package's production dependencies and nothing of theirs.
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
