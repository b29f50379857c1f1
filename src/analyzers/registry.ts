/**
 * The one list of analyzer domains. Adding a domain is one folder under src/analyzers and one line
 * here: the rule list, the watched files, the settings schema and the README's rule table derive from
 * it (docs/architecture.md).
 */
import { AnalyzerRegistry } from '../kernel/registry.js';
import { sqlAnalyzer } from './sql/index.js';
import { apacheAnalyzer } from './apache/index.js';
import { hostingAnalyzer } from './hosting/index.js';
import { nginxAnalyzer } from './nginx/index.js';
import { nodeServerAnalyzer } from './node-server/index.js';
import { poolsAnalyzer } from './pools/index.js';
import { bundleAnalyzer } from './bundle/index.js';
import { imagesAnalyzer } from './images/index.js';
import { lighthouseAnalyzer } from './lighthouse/index.js';

export const REGISTRY = new AnalyzerRegistry([
  sqlAnalyzer,
  apacheAnalyzer,
  hostingAnalyzer,
  nginxAnalyzer,
  nodeServerAnalyzer,
  poolsAnalyzer,
  bundleAnalyzer,
  imagesAnalyzer,
  lighthouseAnalyzer,
]);

/** Every rule the engine runs, in a stable order. */
export const ALL_RULES = REGISTRY.rules;
