# The simulator's container image: what each child of the SimulationBatch array job runs
# (components/simulation-batch.ts, docs/simulation-batch.md). The job definition's command is
# `node scripts/launch.js batch-entry` (scripts/batch-entry.ts): read the job's environment, download
# plan.json, run one shard of `npm run sim`, upload the part.
#   docker build --platform linux/amd64 -t media-cdn-sim:<tag> .
# Production dependencies only; `npm ci` runs `prepare` (scripts/build-dist.js), which bundles the
# entry and npm run sim into dist/, so a child starts without compiling TypeScript (scripts/launch.js
# falls back to tsx, a dependency, if the bundle is missing).
FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# The sources first: npm ci's prepare step (scripts/build-dist.js) bundles them.
COPY . .
RUN npm ci --omit=dev && npm cache clean --force \
 && node scripts/launch.js batch-entry --help > /dev/null
USER node
CMD ["node", "scripts/launch.js", "batch-entry"]
