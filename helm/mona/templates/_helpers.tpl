{{/* Chart name, truncated to the 63 characters Kubernetes allows in a label. */}}
{{- define "mona.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name (release-chart, unless the release name already contains the chart name). */}}
{{- define "mona.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mona.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "mona.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mona.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mona.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mona.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mona.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* host:port of the Temporal frontend: the configured address, else the subchart's frontend. */}}
{{- define "mona.temporalAddress" -}}
{{- if .Values.temporalConnection.address }}
{{- .Values.temporalConnection.address }}
{{- else if .Values.temporal.enabled }}
{{- printf "%s-temporal-frontend:7233" .Release.Name }}
{{- else }}
{{- fail "temporalConnection.address is empty and temporal.enabled is false: set the address of your Temporal frontend (host:port) or enable the Temporal subchart" }}
{{- end }}
{{- end }}

{{/*
Environment shared by both workloads. Credentials only ever arrive through secretKeyRef.
Arguments: a dict with "root" (the chart context) and "component" (orchestrator or gpuWorker values).
*/}}
{{- define "mona.env" -}}
{{- $v := .root.Values -}}
{{- if not $v.s3.credentials.existingSecret }}
{{- fail "s3.credentials.existingSecret is empty: create a Secret with the S3 access key and secret key and name it here (credentials are never taken from values)" }}
{{- end -}}
- name: TEMPORAL_ADDRESS
  value: {{ include "mona.temporalAddress" .root | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ $v.temporalConnection.namespace | quote }}
{{- if $v.temporalConnection.tls.enabled }}
- name: TEMPORAL_TLS_ENABLED
  value: "true"
- name: TEMPORAL_TLS_CERT
  value: /etc/mona/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/mona/temporal-tls/tls.key
- name: TEMPORAL_TLS_CA
  value: /etc/mona/temporal-tls/ca.crt
{{- with $v.temporalConnection.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- end }}
- name: MONA_S3_ENDPOINT
  value: {{ $v.s3.endpoint | quote }}
- name: MONA_S3_BUCKET
  value: {{ $v.s3.bucket | quote }}
- name: MONA_S3_REGION
  value: {{ $v.s3.region | quote }}
- name: MONA_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.s3.credentials.existingSecret | quote }}
      key: {{ $v.s3.credentials.accessKeyKey | quote }}
- name: MONA_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.s3.credentials.existingSecret | quote }}
      key: {{ $v.s3.credentials.secretKeyKey | quote }}
- name: MONA_HEALTH_PORT
  value: {{ $v.health.port | quote }}
- name: MONA_DATA_DIR
  value: /var/lib/mona/work
{{- with .component.gpus }}
# GPU activity slots of this worker: one per GPU it holds
- name: MONA_GPUS
  value: {{ . | quote }}
{{- end }}
# the worker stops accepting tasks at SIGTERM and waits this long for running activities
- name: MONA_SHUTDOWN_GRACE_SECONDS
  value: {{ sub .component.terminationGracePeriodSeconds (add .component.preStopSleepSeconds 15) | quote }}
- name: DJL_CACHE_DIR
  value: /var/cache/mona/djl
- name: ENGINE_CACHE_DIR
  value: /var/cache/mona/djl
- name: JAVA_TOOL_OPTIONS
  value: {{ printf "%s -Djava.io.tmpdir=/tmp" .component.javaOpts | quote }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Probes: the image's healthcheck script GETs /healthz (live) or /readyz (ready) on the health port when the
worker serves them, else checks that the worker's JVM is alive.
*/}}
{{- define "mona.probes" -}}
{{- $v := .Values -}}
startupProbe:
  exec:
    command: ["/opt/mona/bin/healthcheck", "live"]
  periodSeconds: {{ $v.probes.startup.periodSeconds }}
  failureThreshold: {{ $v.probes.startup.failureThreshold }}
livenessProbe:
  exec:
    command: ["/opt/mona/bin/healthcheck", "live"]
  periodSeconds: {{ $v.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ $v.probes.liveness.failureThreshold }}
readinessProbe:
  exec:
    command: ["/opt/mona/bin/healthcheck", "ready"]
  periodSeconds: {{ $v.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ $v.probes.readiness.failureThreshold }}
{{- end }}

{{/* Writable mounts under a read-only root file system. Argument: the chart context. */}}
{{- define "mona.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: djl-cache
  mountPath: /var/cache/mona
- name: work
  mountPath: /var/lib/mona/work
{{- if .Values.temporalConnection.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/mona/temporal-tls
  readOnly: true
{{- end }}
{{- end }}

{{- define "mona.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.scratch.tmpSizeLimit }}
- name: djl-cache
  emptyDir:
    sizeLimit: {{ .Values.scratch.djlCacheSizeLimit }}
- name: work
  emptyDir:
    sizeLimit: {{ .Values.scratch.workSizeLimit }}
{{- if .Values.temporalConnection.tls.enabled }}
{{- if not .Values.temporalConnection.tls.secretName }}
{{- fail "temporalConnection.tls.enabled is true but temporalConnection.tls.secretName is empty: name an existing Secret with tls.crt, tls.key and ca.crt" }}
{{- end }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporalConnection.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end }}
