-- temporal.io/TemporalCluster health check (alexandrevilain/temporal-operator), written for wavegate.
-- Argo CD ships no check for this kind. The operator writes metav1 conditions:
--   Ready (reason ServicesReady / ServicesNotReady), ReconcileSuccess, ReconcileError,
-- each with observedGeneration. It never resets ReconcileError or ReconcileSuccess to False,
-- and a condition's lastTransitionTime only moves when its status flips, so when both are
-- True the newer lastTransitionTime is the best the object can tell.
-- Runs in Argo CD's sandbox without useOpenLibs.
local function text(v)
  if v == nil then
    return ""
  end
  return tostring(v)
end

if obj.status == nil or obj.status.conditions == nil then
  return { status = "Progressing", message = "Waiting for the Temporal operator to report the cluster status" }
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

local byType = {}
for _, c in ipairs(obj.status.conditions) do
  byType[c.type] = c
end

local err = byType["ReconcileError"]
local ok = byType["ReconcileSuccess"]
if err ~= nil and err.status == "True" then
  local newer = ok == nil or ok.status ~= "True"
  if not newer and err.lastTransitionTime ~= nil and ok.lastTransitionTime ~= nil then
    newer = err.lastTransitionTime > ok.lastTransitionTime
  end
  if newer then
    local m = text(err.message)
    if m == "" then
      m = text(err.reason)
    end
    return { status = "Degraded", message = "Reconcile error: " .. m }
  end
end

local ready = byType["Ready"]
if ready == nil then
  return { status = "Progressing", message = "Waiting for condition Ready" }
end
if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
  return {
    status = "Progressing",
    message = "Waiting for the controller to observe generation " .. text(generation) .. " (Ready is for generation " .. text(ready.observedGeneration) .. ")",
  }
end
if ready.status ~= "True" then
  local m = text(ready.message)
  if m == "" then
    m = "Waiting for the Temporal services to be ready (Ready is " .. text(ready.status) .. ": " .. text(ready.reason) .. ")"
  end
  return { status = "Progressing", message = m }
end
local m = text(ready.message)
if m == "" then
  m = "All Temporal services are ready"
end
return { status = "Healthy", message = m }
