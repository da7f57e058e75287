-- argoproj.io/Application health check for app-of-apps gating, written for wavegate.
-- Argo CD removed its built-in Application check in v1.8, so a parent Application's wave
-- does not wait for its children unless a check like this one is configured.
-- Healthy only when the child Application is Healthy and Synced, its status was computed
-- for the source the spec asks for now, and no sync of that revision failed.
-- Runs in Argo CD's sandbox without useOpenLibs.
local function text(v)
  if v == nil then
    return ""
  end
  return tostring(v)
end

local function withDetail(m, detail)
  if detail ~= nil and detail ~= "" then
    return m .. ": " .. text(detail)
  end
  return m
end

-- A source as the status compared it vs as the spec asks for it now.
local function sameSource(a, b)
  if a == nil or b == nil then
    return a == b
  end
  return a.repoURL == b.repoURL and a.path == b.path and a.chart == b.chart and a.targetRevision == b.targetRevision
end

local function sameSources(a, b)
  if a == nil or b == nil then
    return a == b
  end
  if #a ~= #b then
    return false
  end
  for i = 1, #a do
    if not sameSource(a[i], b[i]) then
      return false
    end
  end
  return true
end

-- The revision a sync or comparison refers to: `revision`, or `revisions` for multi-source
-- Applications (table.concat is in the always-open table library).
local function revisionOf(r)
  if r == nil then
    return nil
  end
  if r.revision ~= nil then
    return r.revision
  end
  if r.revisions ~= nil then
    return table.concat(r.revisions, ", ")
  end
  return nil
end

if obj.status == nil then
  return { status = "Progressing", message = "Waiting for the Application controller to reconcile the Application" }
end

local st = obj.status
local op = st.operationState
local sync = st.sync or {}
local health = st.health or {}

if op ~= nil and (op.phase == "Running" or op.phase == "Terminating") then
  return { status = "Progressing", message = withDetail("Sync operation " .. op.phase, op.message) }
end

-- the status must describe the source the spec asks for (like a stale observedGeneration)
if obj.spec ~= nil and sync.comparedTo ~= nil then
  local current
  if obj.spec.sources ~= nil then
    current = sameSources(sync.comparedTo.sources, obj.spec.sources)
  else
    current = sameSource(sync.comparedTo.source, obj.spec.source)
  end
  if not current then
    return { status = "Progressing", message = "Waiting for the Application to be compared with its new source" }
  end
end

local opFailed = op ~= nil and (op.phase == "Failed" or op.phase == "Error")
local syncRevision = revisionOf(sync)
local opRevision = nil
if op ~= nil then
  opRevision = revisionOf(op.syncResult)
end

if health.status == "Degraded" then
  return { status = "Degraded", message = withDetail("Application is Degraded", health.message) }
end
if health.status == "Suspended" then
  return { status = "Suspended", message = withDetail("Application is Suspended", health.message) }
end
if health.status ~= "Healthy" then
  if health.status == nil then
    return { status = "Progressing", message = "Waiting for the Application's health to be assessed" }
  end
  return { status = "Progressing", message = withDetail("Application is " .. text(health.status), health.message) }
end

if sync.status ~= "Synced" then
  if opFailed then
    return { status = "Degraded", message = withDetail("Sync " .. op.phase, op.message) }
  end
  return { status = "Progressing", message = "Application is Healthy but " .. text(sync.status or "not yet compared") .. " at revision " .. text(syncRevision) }
end

if opFailed and (opRevision == nil or opRevision == syncRevision) then
  return { status = "Degraded", message = withDetail("Sync of revision " .. text(syncRevision) .. " " .. op.phase, op.message) }
end

return { status = "Healthy", message = "Healthy and Synced at revision " .. text(syncRevision) }
