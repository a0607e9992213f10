# syntax=docker/dockerfile:1.7
# mona orchestrator and CPU worker image: Temporal workflows + CPU activities, libtorch CPU, ONNX Runtime CPU.
# Build from the repository root:
#   docker build -f infra/docker/orchestrator.Dockerfile -t mona/mona:0.1.0 .
# Base images are pinned by version; for reproducible builds pin them by digest as well, e.g.
#   --build-arg JRE_IMAGE=eclipse-temurin:17.0.13_11-jre-jammy@sha256:<digest>
# (the digest of a tag: `docker buildx imagetools inspect eclipse-temurin:17.0.13_11-jre-jammy`).
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.13_11-jre-jammy

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# the cpu profile (default): pytorch-native-cpu and onnxruntime
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package
# MklDispatch's library, so that MKL picks its float32 kernels by instruction set on AMD processors with AVX-512
# (the runtime stage has no C compiler; without the library MKL runs its 256-bit kernels there, at about half speed)
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/* \
 && java -cp 'cli/target/lib/*' dev.mona.core.engine.MklDispatch /out/native

FROM ${JRE_IMAGE}
ARG MONA_UID=10001
RUN groupadd --system --gid ${MONA_UID} mona \
 && useradd --system --uid ${MONA_UID} --gid mona --home-dir /var/lib/mona --shell /usr/sbin/nologin mona \
 && mkdir -p /opt/mona/lib /var/cache/mona/djl /var/lib/mona/work \
 && chown -R mona:mona /var/cache/mona /var/lib/mona
COPY --from=build /src/cli/target/mona-cli.jar /src/cli/target/lib/ /opt/mona/lib/
COPY --from=build /out/native/ /var/lib/mona/.cache/mona/native/
COPY infra/docker/mona.sh /opt/mona/bin/mona
COPY infra/docker/mona-worker.sh /opt/mona/bin/mona-worker
COPY infra/docker/healthcheck.sh /opt/mona/bin/healthcheck
ENV PATH=/opt/mona/bin:$PATH \
    DJL_CACHE_DIR=/var/cache/mona/djl \
    ENGINE_CACHE_DIR=/var/cache/mona/djl \
    MONA_HEALTH_PORT=8081 \
    MONA_DATA_DIR=/var/lib/mona/work
USER 10001:10001
WORKDIR /var/lib/mona
EXPOSE 8081
# healthcheck.sh: /healthz on MONA_HEALTH_PORT when served, else the JVM; the first start unpacks libtorch
HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 CMD ["/opt/mona/bin/healthcheck", "live"]
ENTRYPOINT ["/opt/mona/bin/mona-worker"]
CMD ["orchestrator"]
