import type { FileRule } from '../../kernel/contracts.js';
import { apacheCompressionMissing } from './rules/apache-compression-missing.js';
import { apacheExpiresMissing } from './rules/apache-expires-missing.js';
import { apacheParseError } from './rules/apache-parse-error.js';

/** The Apache httpd rules (gatherer: APACHE_GATHERERS in gatherers/apache.ts). */
export const APACHE_RULES: FileRule[] = [apacheCompressionMissing, apacheExpiresMissing, apacheParseError];
