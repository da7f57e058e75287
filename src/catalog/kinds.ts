/**
 * Kinds known to be namespaced: a smoke `resources` entry with `clusterScoped: true` on one of
 * them is refused at load (its ClusterRole would grant `get` on that name in every namespace).
 *
 * Kubernetes built-ins: `kubectl api-resources --namespaced=true` of Kubernetes 1.35 (core,
 * apps, batch, autoscaling, policy, networking.k8s.io, rbac.authorization.k8s.io,
 * coordination.k8s.io, discovery.k8s.io, events.k8s.io, storage.k8s.io). Custom resources
 * wavegate knows (its health library and smoke checks): the namespaced kinds of External
 * Secrets, cert-manager, Gateway API, CloudNativePG, Strimzi and Argo CD, from their CRDs'
 * `spec.scope: Namespaced`. Keys are group/Kind, the core group as Kind alone. A kind that is
 * not listed is taken as the catalog says.
 */
const NAMESPACED = new Set([
  // core v1
  'Binding',
  'ConfigMap',
  'Endpoints',
  'Event',
  'LimitRange',
  'PersistentVolumeClaim',
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'ResourceQuota',
  'Secret',
  'Service',
  'ServiceAccount',
  'apps/ControllerRevision',
  'apps/DaemonSet',
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'autoscaling/HorizontalPodAutoscaler',
  'batch/CronJob',
  'batch/Job',
  'coordination.k8s.io/Lease',
  'discovery.k8s.io/EndpointSlice',
  'events.k8s.io/Event',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  'storage.k8s.io/CSIStorageCapacity',
  // External Secrets Operator
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/SecretStore',
  'external-secrets.io/PushSecret',
  'generators.external-secrets.io/Password',
  // cert-manager
  'cert-manager.io/Certificate',
  'cert-manager.io/CertificateRequest',
  'cert-manager.io/Issuer',
  'acme.cert-manager.io/Challenge',
  'acme.cert-manager.io/Order',
  // Gateway API
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/GRPCRoute',
  'gateway.networking.k8s.io/ReferenceGrant',
  'gateway.networking.k8s.io/TLSRoute',
  'gateway.networking.k8s.io/TCPRoute',
  'gateway.networking.k8s.io/UDPRoute',
  // CloudNativePG
  'postgresql.cnpg.io/Cluster',
  'postgresql.cnpg.io/Backup',
  'postgresql.cnpg.io/ScheduledBackup',
  'postgresql.cnpg.io/Pooler',
  'postgresql.cnpg.io/Database',
  // Strimzi
  'kafka.strimzi.io/Kafka',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'kafka.strimzi.io/KafkaConnect',
  'kafka.strimzi.io/KafkaNodePool',
  // Argo CD
  'argoproj.io/Application',
  'argoproj.io/ApplicationSet',
  'argoproj.io/AppProject',
]);

/** Whether `kind` of `apiVersion` (group/version, or version for the core group) is known to be namespaced. */
export function isKnownNamespaced(apiVersion: string, kind: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  return NAMESPACED.has(group ? `${group}/${kind}` : kind);
}
