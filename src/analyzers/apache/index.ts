import type { FileRule } from '../../kernel/contracts.js';
import { servedCodeOnly } from '../../kernel/served-code.js';
import { apacheCompressionMissing } from './rules/apache-compression-missing.js';
import { apacheExpiresMissing } from './rules/apache-expires-missing.js';
import { apacheParseError } from './rules/apache-parse-error.js';
import type { Analyzer } from '../../kernel/contracts.js';
import { APACHE_GATHERERS } from './gather.js';

/** The Apache httpd rules (gatherer: APACHE_GATHERERS in gatherers/apache.ts). */
export const APACHE_RULES: FileRule[] = [apacheCompressionMissing, apacheExpiresMissing, apacheParseError].map(servedCodeOnly);

/** The Apache httpd analyzer: .htaccess, httpd.conf, apache2.conf and site files. */
export const apacheAnalyzer: Analyzer = {
  id: 'apache',
  title: 'Apache httpd configs',
  watch: ['.htaccess', '*.conf', 'sites-available/**', 'sites-enabled/**', 'mods-available/**', 'mods-enabled/**', 'conf-available/**', 'conf-enabled/**'],
  rules: APACHE_RULES,
  gatherers: APACHE_GATHERERS,
};
