import type { Rule } from './types.js';
import { unknownDependency } from './unknown-dependency.js';

/** Every lint rule, in the order their findings are computed (output is sorted anyway). */
export const RULES: readonly Rule[] = [unknownDependency];

/** Finding ids produced while loading the catalog (not rule modules, always errors). */
export const LOAD_RULE_IDS = ['yaml', 'schema', 'duplicate-component'] as const;

export type { Rule } from './types.js';
