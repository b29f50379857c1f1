/**
 * The nginx gatherer: parses nginx configs (nginx.conf, *.nginx, *.conf under nginx* / conf.d /
 * sites-available / sites-enabled, extensionless sites-* files), follows `include`s through the
 * workspace, and builds the configuration levels the nginx rules check. Workspace-dependent: a
 * change to an included file re-gathers the configs that include it.
 */
import type { FileGatherer } from '../../kernel/contracts.js';
import { analyzeNginx, isNginxPath, type NginxArtifact } from './analyze.js';

export const NGINX_GATHERER_ID = 'nginx';

export const nginxGatherer: FileGatherer<NginxArtifact> = {
  id: NGINX_GATHERER_ID,
  description: 'nginx configs',
  workspaceDependent: true,
  matches: isNginxPath,
  gather: (path, text, ws) => analyzeNginx(path, text, ws),
};

export const NGINX_GATHERERS: FileGatherer[] = [nginxGatherer];
