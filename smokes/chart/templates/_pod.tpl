{{/* Seconds the checks may take: timeoutSeconds minus a reserve (10%, at least 5 s), so they
     report their results before activeDeadlineSeconds (= timeoutSeconds) ends the pod. */}}
{{- define "smoke.budget" -}}
{{- $timeout := int .Values.timeoutSeconds -}}
{{- max 1 (sub $timeout (max 5 (div $timeout 10))) -}}
{{- end -}}

{{/* A container name from parts: lowercase, runs of other characters as "-", at most 63. */}}
{{- define "smoke.containerName" -}}
{{- regexReplaceAll "[^a-z0-9-]+" (lower (join "-" .)) "-" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* runner kubectl: the checks as kubectl wait commands, in order, as a JSON list of
     {name, args}. Every check is `kubectl wait`, which reads the object (get), then lists and
     watches it by name (a metadata.name field selector) until the condition holds or the
     timeout ends: ExternalSecrets and resources --for=condition=COND, a Secret's key
     --for=jsonpath={.data.KEY} (dots escaped; kubectl prints "condition met", never the value), a Secret
     without keys --for=create. */}}
{{- define "smoke.kubectlChecks" -}}
{{- $root := . -}}
{{- $timeout := printf "--timeout=%ss" (include "smoke.budget" .) -}}
{{- $out := list -}}
{{- range .Values.checks.externalSecrets -}}
{{- $n := add1 (len $out) -}}
{{- $args := list "wait" "--for=condition=Ready" $timeout "--namespace" (include "smoke.ns" (list $root .namespace)) (printf "externalsecrets.external-secrets.io/%s" .name) -}}
{{- $out = append $out (dict "name" (include "smoke.containerName" (list "check" $n "externalsecret" .name)) "args" $args) -}}
{{- end -}}
{{- range .Values.checks.secrets -}}
{{- $ns := include "smoke.ns" (list $root .namespace) -}}
{{- $secret := . -}}
{{- if .keys -}}
{{- range .keys -}}
{{- $n := add1 (len $out) -}}
{{- $args := list "wait" (printf "--for=jsonpath={.data.%s}" (replace "." "\\." .)) $timeout "--namespace" $ns (printf "secrets/%s" $secret.name) -}}
{{- $out = append $out (dict "name" (include "smoke.containerName" (list "check" $n "secret" $secret.name .)) "args" $args) -}}
{{- end -}}
{{- else -}}
{{- $n := add1 (len $out) -}}
{{- $args := list "wait" "--for=create" $timeout "--namespace" $ns (printf "secrets/%s" .name) -}}
{{- $out = append $out (dict "name" (include "smoke.containerName" (list "check" $n "secret" .name)) "args" $args) -}}
{{- end -}}
{{- end -}}
{{- range .Values.checks.resources -}}
{{- $n := add1 (len $out) -}}
{{- $target := printf "%s/%s" (include "smoke.resourceArg" .) .name -}}
{{- $args := list "wait" (printf "--for=condition=%s" (default "Ready" .condition)) $timeout -}}
{{- if not .clusterScoped }}{{ $args = concat $args (list "--namespace" (include "smoke.ns" (list $root .namespace))) }}{{ end -}}
{{- $args = append $args $target -}}
{{- $out = append $out (dict "name" (include "smoke.containerName" (list "check" $n (lower .kind) .name)) "args" $args) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* What every smoke container shares: image, security context (Pod Security "restricted"), resources. */}}
{{- define "smoke.containerCommon" -}}
image: {{ include "smoke.image" . | quote }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
terminationMessagePolicy: FallbackToLogsOnError
securityContext:
  allowPrivilegeEscalation: false
  privileged: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  capabilities:
    drop: ["ALL"]
  seccompProfile:
    type: RuntimeDefault
resources:
  {{- toYaml .Values.resources | nindent 2 }}
{{- end -}}

{{/* The Job's pod template spec. runner kubectl: one container per check running kubectl
     itself (no shell: the default image is distroless), all but the last as initContainers,
     so they run in order and the first failing check fails the pod. runner script: one
     container running check.sh with sh (the image must have sh, see README). */}}
{{- define "smoke.podSpec" -}}
serviceAccountName: {{ include "smoke.fullname" . }}
automountServiceAccountToken: true
restartPolicy: Never
enableServiceLinks: false
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
{{- if eq .Values.runner "kubectl" }}
{{- $checks := include "smoke.kubectlChecks" . | fromJsonArray }}
{{- $last := sub (len $checks) 1 }}
{{- if gt (len $checks) 1 }}
initContainers:
{{- range $i, $c := $checks }}
{{- if lt $i $last }}
  - name: {{ $c.name }}
    command: ["kubectl"]
    args: {{ $c.args | toJson }}
    env: {{ include "smoke.kubectlEnv" $ | nindent 6 }}
    {{- include "smoke.containerCommon" $ | nindent 4 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
{{- end }}
{{- end }}
{{- end }}
containers:
{{- with index $checks $last }}
  - name: {{ .name }}
    command: ["kubectl"]
    args: {{ .args | toJson }}
    env: {{ include "smoke.kubectlEnv" $ | nindent 6 }}
    {{- include "smoke.containerCommon" $ | nindent 4 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 32Mi
{{- else }}
containers:
  - name: smoke
    command: ["sh", "/smoke/check.sh", "/smoke/checks"]
    env: {{ include "smoke.kubectlEnv" . | nindent 6 }}
      - name: SMOKE_ATTEMPTS
        value: {{ int .Values.attempts | quote }}
      - name: SMOKE_SLEEP_SECONDS
        value: {{ int .Values.sleepSeconds | quote }}
      - name: SMOKE_DEADLINE_SECONDS
        value: {{ include "smoke.budget" . | quote }}
      - name: SMOKE_REQUEST_TIMEOUT_SECONDS
        value: {{ int .Values.requestTimeoutSeconds | quote }}
    {{- include "smoke.containerCommon" . | nindent 4 }}
    volumeMounts:
      - name: script
        mountPath: /smoke
        readOnly: true
      - name: tmp
        mountPath: /tmp
volumes:
  - name: script
    configMap:
      name: {{ include "smoke.fullname" . }}
      defaultMode: 0444
  - name: tmp
    emptyDir:
      sizeLimit: 32Mi
{{- end }}
{{- end -}}

{{/* kubectl's home and discovery cache on the writable emptyDir (the root filesystem is read-only). */}}
{{- define "smoke.kubectlEnv" -}}
- name: HOME
  value: /tmp
- name: KUBECACHEDIR
  value: /tmp/.kube/cache
{{- end -}}

{{/* Short hash of what the Job runs: its pod template and, for runner script, the script and
     checks it mounts. A change of either gives the Job a new name, so a sync never has to
     modify a Job's (immutable) pod template. */}}
{{- define "smoke.runHash" -}}
{{- $what := include "smoke.podSpec" . -}}
{{- if ne .Values.runner "kubectl" }}{{ $what = printf "%s\n%s\n%s" $what (.Files.Get "files/check.sh") (include "smoke.checks" .) }}{{ end -}}
{{- sha256sum $what | trunc 10 -}}
{{- end -}}
