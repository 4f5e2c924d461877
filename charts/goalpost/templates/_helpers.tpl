{{/*
Chart name, truncated to the 63 characters Kubernetes allows in names and labels.
*/}}
{{- define "goalpost.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name: the release name, plus the chart name unless the release already
contains it.
*/}}
{{- define "goalpost.fullname" -}}
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

{{- define "goalpost.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "goalpost.labels" -}}
helm.sh/chart: {{ include "goalpost.chart" . }}
{{ include "goalpost.selectorLabels" . }}
app.kubernetes.io/version: {{ (.Values.image.tag | default .Chart.AppVersion) | toString | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: goalpost
{{- end }}

{{/*
Selector labels (immutable on Deployments: never add to these).
*/}}
{{- define "goalpost.selectorLabels" -}}
app.kubernetes.io/name: {{ include "goalpost.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Component-qualified names and selector labels. Call with (dict "root" $ "component" "server").
*/}}
{{- define "goalpost.componentName" -}}
{{- printf "%s-%s" (include "goalpost.fullname" .root | trunc 55 | trimSuffix "-") .component }}
{{- end }}

{{- define "goalpost.componentSelectorLabels" -}}
{{ include "goalpost.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "goalpost.componentLabels" -}}
{{ include "goalpost.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
ServiceAccount used by the server and jobs Deployments.
*/}}
{{- define "goalpost.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "goalpost.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: repository@digest when a digest is set, else repository:tag (tag defaults to
the chart's appVersion).
*/}}
{{- define "goalpost.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
PUBLIC_URL: env.PUBLIC_URL, else https://<first ingress host> when ingress.tls covers that host.
Refuses to render without one: the app would otherwise put http://localhost:3000 in mailed links
and reject every browser request in the CSRF origin check; and an https URL for an ingress that
serves no TLS would send every link to a port nobody answers (the app refuses an http PUBLIC_URL
in production).
*/}}
{{- define "goalpost.publicUrl" -}}
{{- if .Values.env.PUBLIC_URL }}
{{- .Values.env.PUBLIC_URL | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- $host := (first .Values.ingress.hosts).host }}
{{- $covered := false }}
{{- range .Values.ingress.tls }}
{{- if has $host .hosts }}{{ $covered = true }}{{ end }}
{{- end }}
{{- if not $covered }}
{{- fail (printf "goalpost: ingress.tls does not cover %s, so https://%s would not answer. Add a tls entry for it, or set env.PUBLIC_URL to the https URL where TLS ends (e.g. a load balancer in front of the ingress)." $host $host) }}
{{- end }}
{{- printf "https://%s" $host }}
{{- else }}
{{- fail "goalpost: set env.PUBLIC_URL (the external https URL users open), or enable the ingress with at least one host." }}
{{- end }}
{{- end }}

{{/*
Name of the CloudNativePG Cluster (postgresql.mode=cloudnative-pg).
*/}}
{{- define "goalpost.pgClusterName" -}}
{{- printf "%s-pg" (include "goalpost.fullname" . | trunc 50 | trimSuffix "-") }}
{{- end }}

{{/*
Name of the Secret holding one secret entry. Call with (dict "root" $ "entry" "databaseUrl").
*/}}
{{- define "goalpost.secretName" -}}
{{- $entry := index .root.Values.secrets .entry }}
{{- $entry.secretName | default .root.Values.secrets.existingSecret }}
{{- end }}

{{/*
Environment entries read from Secrets. Call with (dict "root" $ "entries" (list "databaseUrl" ...)).
DATABASE_URL is mandatory; the others are rendered only when enabled and a Secret name is
known, and always as optional references.
*/}}
{{- define "goalpost.secretEnv" -}}
{{- $root := .root }}
{{- $envNames := dict "redisUrl" "REDIS_URL" "smtpUrl" "SMTP_URL" "firstAdminPassword" "FIRST_ADMIN_PASSWORD" }}
{{- range $entryName := .entries }}
{{- $entry := index $root.Values.secrets $entryName }}
{{- $secretName := include "goalpost.secretName" (dict "root" $root "entry" $entryName) }}
{{- if eq $entryName "databaseUrl" }}
{{- $key := $entry.key }}
{{- if and (not $entry.secretName) (eq $root.Values.postgresql.mode "cloudnative-pg") }}
{{- /* The operator's application Secret: a URL for the Cluster's read-write Service. */}}
{{- $secretName = printf "%s-app" (include "goalpost.pgClusterName" $root) }}
{{- $key = "uri" }}
{{- end }}
{{- if not $secretName }}
{{- fail "goalpost: DATABASE_URL is required. Set secrets.existingSecret (or secrets.databaseUrl.secretName) to a Secret holding it, or postgresql.mode=cloudnative-pg; without it the app would start an embedded PostgreSQL inside the pod." }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secretName | quote }}
      key: {{ $key | quote }}
{{- else if eq $entryName "migrationDatabaseUrl" }}
{{- /* The hook's own URL when one is set; otherwise the app's (above). */}}
{{- if $entry.secretName }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $entry.secretName | quote }}
      key: {{ $entry.key | quote }}
{{- else }}
{{- include "goalpost.secretEnv" (dict "root" $root "entries" (list "databaseUrl")) }}
{{- end }}
{{- else if and $entry.enabled $secretName }}
- name: {{ get $envNames $entryName }}
  valueFrom:
    secretKeyRef:
      name: {{ $secretName | quote }}
      key: {{ $entry.key | quote }}
      optional: true
{{- end }}
{{- end }}
{{- end }}

{{/*
Environment shared by every Goalpost container: the ConfigMap, then extraEnvFrom.
*/}}
{{- define "goalpost.envFrom" -}}
- configMapRef:
    name: {{ include "goalpost.fullname" . }}
{{- with .Values.extraEnvFrom }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Topology spread constraints for one component. Call with
(dict "root" $ "component" "server" "spread" .Values.server.topologySpread).
*/}}
{{- define "goalpost.topologySpread" -}}
{{- $spread := .spread }}
{{- $ctx := . }}
{{- range $level := list "zone" "hostname" }}
{{- $cfg := index $spread $level }}
{{- if $cfg.enabled }}
- maxSkew: {{ $spread.maxSkew }}
  topologyKey: {{ ternary "topology.kubernetes.io/zone" "kubernetes.io/hostname" (eq $level "zone") }}
  whenUnsatisfiable: {{ $cfg.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "goalpost.componentSelectorLabels" $ctx | nindent 6 }}
  {{- with $spread.matchLabelKeys }}
  matchLabelKeys:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Checksum of the rendered ConfigMap, so a settings change rolls the pods.
*/}}
{{- define "goalpost.configChecksum" -}}
{{- include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}

{{/*
The database CA (postgresql.external.caSecret): the volume, and its mount in a container.
*/}}
{{- define "goalpost.dbCaVolume" -}}
{{- with .Values.postgresql.external.caSecret.name }}
- name: db-ca
  secret:
    secretName: {{ . | quote }}
    defaultMode: 0444
{{- end }}
{{- end }}

{{- define "goalpost.dbCaMount" -}}
{{- if .Values.postgresql.external.caSecret.name }}
- name: db-ca
  mountPath: /etc/goalpost/db-ca
  readOnly: true
{{- end }}
{{- end }}

{{/*
Object-store credentials for CloudNativePG (barmanObjectStore). Call with postgresql.cloudnativePg.backup.s3Credentials.
*/}}
{{- define "goalpost.barmanCredentials" -}}
{{- if .inheritFromIAMRole }}
s3Credentials:
  inheritFromIAMRole: true
{{- else if .secretName }}
s3Credentials:
  accessKeyId:
    name: {{ .secretName | quote }}
    key: {{ .accessKeyIdKey | quote }}
  secretAccessKey:
    name: {{ .secretName | quote }}
    key: {{ .secretAccessKeyKey | quote }}
{{- end }}
{{- end }}
