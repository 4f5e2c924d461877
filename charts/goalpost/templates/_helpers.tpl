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
PUBLIC_URL: env.PUBLIC_URL, else https://<first ingress host>. Refuses to render without one:
the app would otherwise put http://localhost:3000 in mailed links and reject every browser
request in the CSRF origin check.
*/}}
{{- define "goalpost.publicUrl" -}}
{{- if .Values.env.PUBLIC_URL }}
{{- .Values.env.PUBLIC_URL | trimSuffix "/" }}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts }}
{{- printf "https://%s" (first .Values.ingress.hosts).host }}
{{- else }}
{{- fail "goalpost: set env.PUBLIC_URL (the external https URL users open), or enable the ingress with at least one host." }}
{{- end }}
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
{{- $envNames := dict "databaseUrl" "DATABASE_URL" "redisUrl" "REDIS_URL" "smtpUrl" "SMTP_URL" "firstAdminPassword" "FIRST_ADMIN_PASSWORD" }}
{{- range $entryName := .entries }}
{{- $entry := index $root.Values.secrets $entryName }}
{{- $secretName := include "goalpost.secretName" (dict "root" $root "entry" $entryName) }}
{{- if eq $entryName "databaseUrl" }}
{{- if not $secretName }}
{{- fail "goalpost: DATABASE_URL is required. Set secrets.existingSecret (or secrets.databaseUrl.secretName) to a Secret holding it; without it the app would start an embedded PostgreSQL inside the pod." }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secretName | quote }}
      key: {{ $entry.key | quote }}
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
