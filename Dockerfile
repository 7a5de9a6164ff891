# One image for every service; docker-compose picks the service with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production TURBO_TELEMETRY_DISABLED=1
COPY . .
# postinstall generates the Prisma clients and builds GraphiQL.
RUN npm ci --include=dev && npm cache clean --force
# Where services keep local files (analytics' DuckDB): a volume mounted here inherits the node user.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000 4001 4002
CMD ["npm", "start", "-w", "@stockline/gateway"]
