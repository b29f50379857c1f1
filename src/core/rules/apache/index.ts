import type { FileRule } from '../rule.js';
import { apacheCompressionMissing } from './apache-compression-missing.js';
import { apacheExpiresMissing } from './apache-expires-missing.js';
import { apacheParseError } from './apache-parse-error.js';

/** The Apache httpd rules (gatherer: APACHE_GATHERERS in gatherers/apache.ts). */
export const APACHE_RULES: FileRule[] = [apacheCompressionMissing, apacheExpiresMissing, apacheParseError];
