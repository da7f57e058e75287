-- temporal.io/TemporalNamespace health check (alexandrevilain/temporal-operator), written for wavegate.
-- Argo CD ships no check for this kind. The operator writes only ReconcileSuccess and
-- ReconcileError conditions (no Ready), each with observedGeneration; it never resets
-- either to False, and lastTransitionTime only moves when a status flips, so when both are
-- True the newer lastTransitionTime decides. The namespace counts as ready once a
-- reconcile of the current generation succeeded.
-- Runs in Argo CD's sandbox without useOpenLibs.
local function text(v)
  if v == nil then
    return ""
  end
  return tostring(v)
end

if obj.status == nil or obj.status.conditions == nil then
  return { status = "Progressing", message = "Waiting for the Temporal operator to register the namespace" }
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

if ok == nil or ok.status ~= "True" then
  return { status = "Progressing", message = "Waiting for the Temporal operator to register the namespace" }
end
if generation ~= nil and ok.observedGeneration ~= nil and ok.observedGeneration < generation then
  return {
    status = "Progressing",
    message = "Waiting for the controller to observe generation " .. text(generation) .. " (ReconcileSuccess is for generation " .. text(ok.observedGeneration) .. ")",
  }
end
return { status = "Healthy", message = "Namespace registered in the Temporal cluster" }
