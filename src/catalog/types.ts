import type { Finding, SeveritySetting } from '../findings.js';
import type { LoadedYaml } from '../yamlfile.js';

export const COMPONENT_TYPES = [
  'crd', 'operator', 'secret-store', 'secrets', 'config', 'runtime', 'workload', 'gateway', 'migration', 'smoke',
] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export interface Tier {
  name: string;
  /** Inclusive band [low, high]. */
  waves: [number, number];
}

export interface Settings {
  tiers: Tier[];
  extraFields: string[];
  /** Raw sections added by later features (health, smoke, rules, plan), validated by the schema. */
  [section: string]: unknown;
}

export interface ResourceSet {
  kinds: string[];
  secrets: string[];
  services: string[];
}

export interface SmokeSpec {
  validates: string[];
  externalSecrets: { name: string; namespace?: string }[];
  secrets: { name: string; namespace?: string; keys?: string[] }[];
  resources: { apiVersion: string; kind: string; name: string; namespace?: string; condition?: string }[];
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
}

export type RuleSeverities = Record<string, SeveritySetting>;
export type { LoadedYaml };
