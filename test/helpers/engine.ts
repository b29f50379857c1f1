/** Engines for tests: the registry's analyzers, with only some rules or gatherers when a test needs fewer. */
import { AuditEngine } from '../../src/kernel/engine.js';
import { AnalyzerRegistry } from '../../src/kernel/registry.js';
import type { FileGatherer, Rule } from '../../src/kernel/contracts.js';
import { REGISTRY } from '../../src/analyzers/registry.js';

/** An engine running `rules` (default: every registered rule) over the registry's gatherers, or only over `gatherers`. */
export function engineWith(rules: readonly Rule[] = REGISTRY.rules, gatherers?: readonly FileGatherer[]): AuditEngine {
  if (!gatherers) return new AuditEngine(REGISTRY, rules);
  return new AuditEngine(new AnalyzerRegistry([{ id: 'under-test', title: 'rules under test', watch: [], rules, gatherers, projects: REGISTRY.projects }]), rules);
}
