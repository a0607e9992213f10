# syntax=docker/dockerfile:1.7
# mona GPU worker image: GPU activities on CUDA 12.4 (libtorch pytorch-native-cu124, onnxruntime_gpu).
# Build from the repository root:
#   docker build -f infra/docker/gpu-worker.Dockerfile -t mona/mona-gpu:0.1.0 .
# Run with the NVIDIA container toolkit (`docker run --gpus all ...`; Kubernetes: the NVIDIA device plugin).
# Base images are pinned by version; for reproducible builds pin them by digest as well, e.g.
#   --build-arg CUDA_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04@sha256:<digest>
# (the digest of a tag: `docker buildx imagetools inspect nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04`).
ARG MAVEN_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.13_11-jre-jammy
# libtorch 2.5.1 cu124 and ONNX Runtime 1.28 CUDA need CUDA 12.x with cuDNN 9 (this image ships both)
ARG CUDA_IMAGE=nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04

FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
# the cuda profile swaps in pytorch-native-cu124 (2.4 GB) and onnxruntime_gpu
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -Pcuda -DskipTests package
# MklDispatch's library, so that MKL picks its float32 kernels by instruction set on AMD processors with AVX-512
# (the runtime stage has no C compiler; without the library MKL runs its 256-bit kernels there, at about half speed)
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/* \
 && java -cp 'cli/target/lib/*' dev.mona.core.engine.MklDispatch /out/native

FROM ${JRE_IMAGE} AS jre

FROM ${CUDA_IMAGE}
ARG MONA_UID=10001
ENV JAVA_HOME=/opt/java/openjdk
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid ${MONA_UID} mona \
 && useradd --system --uid ${MONA_UID} --gid mona --home-dir /var/lib/mona --shell /usr/sbin/nologin mona \
 && mkdir -p /opt/mona/lib /var/cache/mona/djl /var/lib/mona/work \
 && chown -R mona:mona /var/cache/mona /var/lib/mona
COPY --from=build /src/cli/target/mona-cli.jar /src/cli/target/lib/ /opt/mona/lib/
COPY --from=build /out/native/ /var/lib/mona/.cache/mona/native/
COPY infra/docker/mona.sh /opt/mona/bin/mona
COPY infra/docker/mona-worker.sh /opt/mona/bin/mona-worker
COPY infra/docker/healthcheck.sh /opt/mona/bin/healthcheck
ENV PATH=/opt/mona/bin:/opt/java/openjdk/bin:$PATH \
    DJL_CACHE_DIR=/var/cache/mona/djl \
    ENGINE_CACHE_DIR=/var/cache/mona/djl \
    MONA_HEALTH_PORT=8081 \
    MONA_DATA_DIR=/var/lib/mona/work \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
USER 10001:10001
WORKDIR /var/lib/mona
EXPOSE 8081
# the first start unpacks libtorch with CUDA (about 4 GB), hence the long start period
HEALTHCHECK --interval=30s --timeout=5s --start-period=600s --retries=3 CMD ["/opt/mona/bin/healthcheck", "live"]
ENTRYPOINT ["/opt/mona/bin/mona-worker"]
CMD ["gpu"]
