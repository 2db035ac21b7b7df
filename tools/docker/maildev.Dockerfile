# syntax=docker/dockerfile:1
# MailDev, the local SMTP catcher with a web inbox, at the same version as the
# workspace's devDependency (package.json), so containers and `npm start`
# behave alike. docker-compose.yml builds it.
ARG NODE_IMAGE=node:20-bookworm-slim
FROM ${NODE_IMAGE}
ARG MAILDEV_VERSION
RUN test -n "$MAILDEV_VERSION" && npm install --global --no-audit --no-fund "maildev@${MAILDEV_VERSION}" && npm cache clean --force
USER node
EXPOSE 1025 1080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:1080/api/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["maildev", "--smtp", "1025", "--web", "1080"]
