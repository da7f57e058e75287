{{/* Name of every object of this smoke: the release name, plus the chart name unless it already contains it. */}}
{{- define "smoke.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "smoke.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: smoke
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: wavegate
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* Annotations of the objects the Job needs (ServiceAccount, RBAC, ConfigMap), as an
     `annotations:` block or nothing. mode regular: one sync wave before the Job, no hook, so
     they are ordinary resources of the Application. mode hook: Argo CD hooks of the Job's
     phase, one wave before it, so they exist even when the phase is PreSync. Helm ignores both. */}}
{{- define "smoke.prerequisiteAnnotations" -}}
annotations:
{{- if eq .Values.mode "hook" }}
  argocd.argoproj.io/hook: {{ .Values.hook }}
  argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
{{- end }}
  argocd.argoproj.io/sync-wave: "-1"
{{- end -}}

{{/* repository:tag@digest (the digest when set pins the image; the tag stays for readability). */}}
{{- define "smoke.image" -}}
{{- $img := printf "%s:%s" .Values.image.repository .Values.image.tag -}}
{{- with .Values.image.digest }}{{ $img = printf "%s@%s" $img . }}{{ end -}}
{{- $img -}}
{{- end -}}

{{/* Namespace of a check entry: its own, else the release namespace. Call with (list $ .namespace). */}}
{{- define "smoke.ns" -}}
{{- $root := index . 0 -}}
{{- default $root.Release.Namespace (index . 1) -}}
{{- end -}}

{{/* API group of an apiVersion ("" for the core group). */}}
{{- define "smoke.group" -}}
{{- if contains "/" . }}{{ index (splitList "/" .) 0 }}{{ end -}}
{{- end -}}

{{/* What kubectl get takes for a resources entry: plural.version.group, or plural for the core group. */}}
{{- define "smoke.resourceArg" -}}
{{- if contains "/" .apiVersion -}}
{{- $p := splitList "/" .apiVersion -}}
{{- printf "%s.%s.%s" .plural (index $p 1) (index $p 0) -}}
{{- else -}}
{{- .plural -}}
{{- end -}}
{{- end -}}

{{/* The checks file read by check.sh: one check per line. A Secret without keys is written
     '-'; the single key named '-' (a valid Secret key) is written '-,' so the two differ. */}}
{{- define "smoke.checks" -}}
{{- range .Values.checks.externalSecrets }}
condition {{ include "smoke.ns" (list $ .namespace) }} {{ .name }} ExternalSecret externalsecrets.external-secrets.io Ready
{{- end }}
{{- range .Values.checks.secrets }}
secret {{ include "smoke.ns" (list $ .namespace) }} {{ .name }} {{ if .keys }}{{ $keys := join "," .keys }}{{ $keys }}{{ if eq $keys "-" }},{{ end }}{{ else }}-{{ end }}
{{- end }}
{{- range .Values.checks.resources }}
condition {{ if .clusterScoped }}-{{ else }}{{ include "smoke.ns" (list $ .namespace) }}{{ end }} {{ .name }} {{ .kind }} {{ include "smoke.resourceArg" . }} {{ default "Ready" .condition }}
{{- end }}
{{- end -}}

{{/* Sorted, distinct namespaces the checks look into. */}}
{{- define "smoke.namespaces" -}}
{{- $nss := list -}}
{{- range .Values.checks.externalSecrets }}{{ $nss = append $nss (include "smoke.ns" (list $ .namespace)) }}{{ end -}}
{{- range .Values.checks.secrets }}{{ $nss = append $nss (include "smoke.ns" (list $ .namespace)) }}{{ end -}}
{{- range .Values.checks.resources }}{{ if not .clusterScoped }}{{ $nss = append $nss (include "smoke.ns" (list $ .namespace)) }}{{ end }}{{ end -}}
{{- $nss | uniq | sortAlpha | toJson -}}
{{- end -}}

{{/* Name of the ClusterRole and ClusterRoleBinding (cluster-wide, so qualified by the release namespace). */}}
{{- define "smoke.clusterName" -}}
{{- printf "%s-%s" .Release.Namespace (include "smoke.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Verbs of every RBAC rule, as a JSON list. */}}
{{- define "smoke.verbs" -}}
{{- if eq .Values.runner "kubectl" }}["get","list","watch"]{{ else }}["get"]{{ end -}}
{{- end -}}

{{/* backoffLimit: runner script retries inside its one pod (attempts, sleepSeconds), so 0;
     runner kubectl retries a failed pod (Kubernetes' back-off, 10 s doubling) up to
     attempts - 1 times, all within activeDeadlineSeconds. */}}
{{- define "smoke.backoffLimit" -}}
{{- if eq .Values.runner "kubectl" }}{{ sub (int .Values.attempts) 1 }}{{ else }}0{{ end -}}
{{- end -}}
