/**
 * The `yaml` package's document model, for code that edits YAML text in place (fix's splices
 * of component and ApplicationSet files) or builds documents with chosen scalar styles (the
 * argocd-cm patch): nodes with their source ranges, and the splice helpers. Loaded statically,
 * unlike the readers in ./index.ts, so only modules that need it import it.
 */
export { Document, isMap, isPair, isScalar, isSeq, parse, parseAllDocuments, parseDocument, Scalar, stringify, YAMLMap } from 'yaml';
export type { Node, Pair } from 'yaml';
export { lineEnd, lineStart, pairOf } from './splice.js';
