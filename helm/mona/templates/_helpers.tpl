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

{{/* Selector labels of one workload. Arguments: a dict with "root" (the chart context) and "component" (its name). */}}
{{- define "mona.componentSelectorLabels" -}}
{{ include "mona.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* An image reference: repository:tag, pinned by digest when one is given. Argument: an images.* value. */}}
{{- define "mona.image" -}}
{{- if .digest }}
{{- printf "%s:%s@%s" .repository .tag .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{/* The S3 endpoint the workers use: the bundled MinIO when minio.enabled, else s3.endpoint. */}}
{{- define "mona.s3Endpoint" -}}
{{- if .Values.minio.enabled }}
{{- printf "http://%s-minio:9000" (include "mona.fullname" .) }}
{{- else }}
{{- .Values.s3.endpoint }}
{{- end }}
{{- end }}

{{/*
Environment shared by both workloads. Credentials only ever arrive through secretKeyRef.
Arguments: a dict with "root" (the chart context), "component" (orchestrator or gpuWorker values) and
"container" (the container's name).
*/}}
{{- define "mona.env" -}}
{{- $v := .root.Values -}}
{{- if not $v.s3.credentials.existingSecret }}
{{- fail "s3.credentials.existingSecret is empty: create a Secret with the S3 access key and secret key and name it here (credentials are never taken from values)" }}
{{- end -}}
- name: TEMPORAL_ADDRESS
  value: {{ $v.temporalConnection.address | quote }}
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
  value: {{ include "mona.s3Endpoint" .root | quote }}
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
# libtorch threads: the container's CPU request rounded up (nproc would count the node's cores)
- name: MONA_THREADS
  valueFrom:
    resourceFieldRef:
      containerName: {{ .container }}
      resource: requests.cpu
      divisor: "1"
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with .component.extraEnv }}
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

{{/*
Writable mounts under a read-only root file system, then the workload's extraVolumeMounts.
Arguments: a dict with "root" (the chart context) and "component" (orchestrator or gpuWorker values).
*/}}
{{- define "mona.volumeMounts" -}}
{{- $v := .root.Values -}}
- name: tmp
  mountPath: /tmp
- name: djl-cache
  mountPath: /var/cache/mona
- name: work
  mountPath: /var/lib/mona/work
{{- if $v.temporalConnection.tls.enabled }}
- name: temporal-tls
  mountPath: /etc/mona/temporal-tls
  readOnly: true
{{- end }}
{{- with .component.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The volumes of mona.volumeMounts, then the workload's extraVolumes. Arguments: as mona.volumeMounts. */}}
{{- define "mona.volumes" -}}
{{- $v := .root.Values -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ $v.scratch.tmpSizeLimit }}
- name: djl-cache
  emptyDir:
    sizeLimit: {{ $v.scratch.djlCacheSizeLimit }}
- name: work
  emptyDir:
    sizeLimit: {{ $v.scratch.workSizeLimit }}
{{- if $v.temporalConnection.tls.enabled }}
{{- if not $v.temporalConnection.tls.secretName }}
{{- fail "temporalConnection.tls.enabled is true but temporalConnection.tls.secretName is empty: name an existing Secret with tls.crt, tls.key and ca.crt" }}
{{- end }}
- name: temporal-tls
  secret:
    secretName: {{ $v.temporalConnection.tls.secretName }}
    defaultMode: 0440
{{- end }}
{{- with .component.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod metadata and scheduling shared by both workloads.
Arguments: a dict with "root" (the chart context), "component" (orchestrator or gpuWorker values) and "name"
(the component label).
*/}}
{{- define "mona.podMetadata" -}}
labels:
  {{- with .component.podLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- include "mona.componentSelectorLabels" (dict "root" .root "component" .name) | nindent 2 }}
{{- with .component.podAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "mona.podScheduling" -}}
{{- $c := .component -}}
{{- with $c.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $c.runtimeClassName }}
runtimeClassName: {{ . }}
{{- end }}
{{- with $c.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $c.topologySpreadConstraints }}
{{- $selector := include "mona.componentSelectorLabels" (dict "root" $.root "component" $.name) | fromYaml }}
topologySpreadConstraints:
{{- range . }}
{{- $constraint := deepCopy . }}
{{- if not (hasKey $constraint "labelSelector") }}
{{- $_ := set $constraint "labelSelector" (dict "matchLabels" $selector) }}
{{- end }}
- {{ toYaml $constraint | nindent 2 | trim }}
{{- end }}
{{- end }}
{{- end }}
