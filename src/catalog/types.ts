import type { Finding, SeveritySetting } from '../findings.js';
import type { SmokeCheckEntries, SmokeCheckField } from './smoke-checks.js';
import type { LoadedYaml } from '../yaml/index.js';
import type { ReadFs } from '../fsutil.js';

export const COMPONENT_TYPES = [
  'crd',
  'operator',
  'secret-store',
  'secrets',
  'config',
  'runtime',
  'workload',
  'gateway',
  'migration',
  'smoke',
] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export interface Tier {
  name: string;
  /** Inclusive band [low, high]. */
  waves: [number, number];
}

/**
 * wavegate.yaml as loaded: `tiers` and `extraFields` with their defaults, the other sections
 * as written (validated by schemas/wavegate.schema.json; each consumer applies its defaults).
 * test/settings-types.test.ts keeps these types' fields equal to the schema's.
 */
export interface Settings {
  tiers: Tier[];
  extraFields: string[];
  limits?: LimitsSection;
  smoke?: SmokeSection;
  rules?: RulesSection;
  health?: HealthSection;
  plan?: PlanSection;
  argocd?: ArgocdSection;
  rollout?: RolloutSection;
  sarif?: SarifSection;
}

/** `sarif:` SARIF output (src/report/sarif.ts). */
export interface SarifSection {
  /** Where the team hosts docs/rules.md: each rule's helpUri is `<base>#<rule id>`. */
  helpUriBase?: string;
}

/** `limits:` bounds on what wavegate reads (SECURITY.md). */
export interface LimitsSection {
  maxFileBytes?: number;
}

export interface SmokeQuantities {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

/** `smoke:` defaults of the rendered smoke charts (src/smoke/settings.ts applies the defaults). */
export interface SmokeSection {
  image?: { repository?: string; tag?: string; digest?: string; pullPolicy?: 'IfNotPresent' | 'Always' | 'Never' };
  mode?: 'regular' | 'hook';
  runner?: 'kubectl' | 'script';
  attempts?: number;
  sleepSeconds?: number;
  timeoutSeconds?: number;
  requestTimeoutSeconds?: number;
  ttlSecondsAfterFinished?: number;
  resources?: { requests?: SmokeQuantities; limits?: SmokeQuantities };
  chartVersion?: string;
}

/** `rules:` finding id -> severity (only ids whose severity may be set; src/rules/registry.ts). */
export type RulesSection = Record<string, SeveritySetting>;

/** `health:` where each gated kind's check comes from. */
export interface HealthSection {
  /** group/Kind left to Argo CD's own check. */
  builtin?: string[];
  /** group/Kind -> a team's check (a health.lua file or a folder), relative to the catalog root. */
  overrides?: Record<string, string>;
}

/** `plan:` settings of `wavegate plan --format shell`. */
export interface PlanSection {
  waveLabel?: string;
  /** null: select by wave only. */
  environmentLabel?: string | null;
  timeoutSeconds?: number;
}

/** `argocd:` the Argo CD the catalog runs on. */
export interface ArgocdSection {
  version?: string;
  namespace?: string;
}

/** `rollout:` RollingSync settings. */
export interface RolloutSection {
  /** Tier name -> RollingSync maxUpdate (an integer or "N%"). */
  maxUpdate?: Record<string, number | string>;
  syncTimeoutSeconds?: number;
}

export interface ResourceSet {
  kinds: string[];
  secrets: string[];
  services: string[];
}

/** The check lists of a smoke block, one per type of the smoke check table (smoke-checks.ts). */
export type SmokeChecks = { [F in SmokeCheckField]: SmokeCheckEntries[F][] };

export interface SmokeSpec extends SmokeChecks {
  validates: string[];
  timeoutSeconds?: number;
  hook?: 'PreSync' | 'Sync' | 'PostSync';
  [extra: string]: unknown;
}

export interface Component {
  name: string;
  tier: string;
  wave: number;
  domain?: string;
  componentType: ComponentType;
  namespace?: string;
  dependencies: string[];
  provides: ResourceSet;
  consumes: ResourceSet;
  health: string[];
  smoke?: SmokeSpec;
  /** The file as written (after YAML parsing), for pass-through Application fields and extraFields. */
  raw: Record<string, unknown>;
  /** Path relative to the catalog root, forward slashes. */
  file: string;
  /** Where the component came from: its own environment, or `_shared`. */
  origin: 'env' | 'shared';
  /** Position of a field in the file (`['dependencies', 2]`), for findings. */
  locate(path: readonly (string | number)[], key?: boolean): { line: number; column: number } | undefined;
}

export interface Environment {
  name: string;
  /** Components sorted by name. */
  components: Component[];
  byName: Map<string, Component>;
  /** Names of components whose files are invalid (reported already); rules skip edges to them. */
  broken: Set<string>;
  /** Component files of the environment (its own and _shared) that could not be read at all (no name): catalog-relative paths. */
  unreadable?: string[];
}

export interface Catalog {
  /** Absolute path of the catalog root. */
  root: string;
  settings: Settings;
  /** Path of wavegate.yaml relative to root, when present. */
  settingsFile?: string;
  /** Position of a field of wavegate.yaml (`['health', 'overrides', ref]`), for findings about settings. */
  settingsLocate?: LoadedYaml['locate'];
  /** Environments sorted by name. */
  environments: Environment[];
  /** Problems found while loading (YAML, schema, duplicates): findings of the `schema` family. */
  findings: Finding[];
  /** The catalog's other files (manifests, what each component deploys), read by the loader's FileSource. */
  files: CatalogFiles;
}

/** One YAML document of a manifest file under the catalog root. */
export interface ManifestDoc {
  /** Path relative to the catalog root, forward slashes. */
  file: string;
  value: unknown;
  locate: LoadedYaml['locate'];
}

/** A file a component deploys (its folder, local kustomize bases), as text: Helm templates are not YAML. */
export interface ComponentFile {
  /** Relative to the catalog root, forward slashes. */
  file: string;
  text: string;
  /** The values of the chart the file belongs to (values.yaml next to Chart.yaml), if any. */
  values?: unknown;
}

/**
 * The catalog's files other than component.yaml and wavegate.yaml (src/catalog/files.ts): read
 * on first use, then kept with the catalog.
 */
export interface CatalogFiles {
  /**
   * The documents of every manifest file (any YAML file outside component.yaml and
   * wavegate.yaml) whose text contains `needle` (a cheap filter before parsing), sorted by
   * file. Documents that are not valid YAML (e.g. Helm templates) are skipped.
   */
  manifestDocuments(needle: string): ManifestDoc[];
  /** The files component `c` deploys (its folder without nested component folders, and local kustomize bases), sorted. */
  componentFiles(c: Component): ComponentFile[];
  /**
   * YAML files other than component.yaml under `environments/<env|_shared>/components/`
   * (relative, sorted), seen while loading; undefined when only one environment was loaded.
   */
  readonly componentDirYamlFiles?: readonly string[];
  /**
   * What is at a catalog path that a setting names (health.overrides): after links, wherever
   * they lead (`kind`), or only when that stays inside the catalog (`kindInside`).
   */
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  kindInside(path: string): 'file' | 'dir' | 'other' | undefined;
  /**
   * The catalog's files by absolute path (the catalog root joined with their path), read
   * through its FileSource: contained in the catalog and bounded. The health checks
   * health.overrides names (script, check.yaml, health_test.yaml, testdata/) are read through
   * it, by `check` (rules health-lint, health-test) and `render` alike.
   */
  readonly fs: ReadFs;
}

export type RuleSeverities = Record<string, SeveritySetting>;
export type { LoadedYaml };
