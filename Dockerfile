# syntax=docker/dockerfile:1
#
# AI-Higress Gateway: the jlink runtime image (scripts/jlink-image.sh) on Debian 12 slim.
#
#   docker build -t ai-higress-gateway .
#   docker run --rm -p 8080:8080 -e HIGRESS_API_KEY=sk-change-me-0123456789 -v higress-data:/app/data \
#       --stop-timeout 30 ai-higress-gateway
#
# Every RUN below runs the same commands and scripts as a developer does by hand; docs/deployment.md explains the
# choices (base image, user, health checks, JVM flags).

# ---- build: jar + libs, then the jlink runtime cut from this same JDK ------------------------------------------------
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 (Maven itself, fetched by ./mvnw, and the dependencies) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests package \
    && scripts/jlink-image.sh

# ---- runtime: glibc (the jlink'd JVM is linked against it) and a shell (the launcher is a sh script) -----------------
FROM debian:bookworm-slim
# A fixed numeric user, so that Kubernetes' runAsNonRoot can check it; /app is its working directory and /app/data
# (the ./data of the gateway) the only place it writes to. The runtime in /opt/ai-higress stays root-owned.
RUN groupadd --gid 10001 higress \
    && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin higress \
    && mkdir -p /app/data \
    && chown -R 10001:10001 /app
COPY --from=build /src/target/image /opt/ai-higress
WORKDIR /app
USER 10001:10001
EXPOSE 8080
VOLUME /app/data
# For plain Docker and Compose (Kubernetes ignores HEALTHCHECK: give it HTTP probes on /health/ready and
# /health/live). No curl in the image: bash's /dev/tcp sends the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT:-8080} && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]
# Exec form: the launcher execs the JVM, which becomes PID 1 and receives SIGTERM from `docker stop` directly.
ENTRYPOINT ["/opt/ai-higress/bin/ai-higress"]
