/**
 * What the parser knows about common nginx directives: the number of arguments they take. Used
 * only to recover from a missing `;` (`gzip on⏎ gzip_types text/css;` reads as one directive with
 * three arguments; when the first directive takes one and the next line starts with a known
 * directive, the parser splits them and reports the missing `;`). Unknown directives are fine.
 */

/** name → [min, max] argument count (max -1: any number). */
const ARITY: Record<string, [number, number]> = {
  // core / events
  user: [1, 2], worker_processes: [1, 1], worker_rlimit_nofile: [1, 1], worker_connections: [1, 1], pid: [1, 1],
  error_log: [1, 2], daemon: [1, 1], master_process: [1, 1], load_module: [1, 1], include: [1, 1], multi_accept: [1, 1],
  use: [1, 1], accept_mutex: [1, 1], env: [1, 1], worker_shutdown_timeout: [1, 1], pcre_jit: [1, 1], thread_pool: [2, 3],
  // http core
  listen: [1, -1], server_name: [1, -1], root: [1, 1], alias: [1, 1], index: [1, -1], try_files: [2, -1], default_type: [1, 1],
  sendfile: [1, 1], sendfile_max_chunk: [1, 1], tcp_nopush: [1, 1], tcp_nodelay: [1, 1], aio: [1, 2], directio: [1, 1],
  keepalive_timeout: [1, 2], keepalive_requests: [1, 1], client_max_body_size: [1, 1], client_body_timeout: [1, 1],
  client_header_timeout: [1, 1], client_body_buffer_size: [1, 1], large_client_header_buffers: [2, 2], send_timeout: [1, 1],
  server_tokens: [1, 1], types_hash_max_size: [1, 1], types_hash_bucket_size: [1, 1], server_names_hash_bucket_size: [1, 1],
  server_names_hash_max_size: [1, 1], error_page: [2, -1], access_log: [1, -1], log_format: [2, -1], open_file_cache: [1, 2],
  open_file_cache_valid: [1, 1], open_file_cache_min_uses: [1, 1], open_file_cache_errors: [1, 1], resolver: [1, -1],
  resolver_timeout: [1, 1], etag: [1, 1], if_modified_since: [1, 1], absolute_redirect: [1, 1], port_in_redirect: [1, 1],
  internal: [0, 0], output_buffers: [2, 2], postpone_output: [1, 1], reset_timedout_connection: [1, 1], charset: [1, 1],
  autoindex: [1, 1], http2: [1, 1], http3: [1, 1], ssl: [1, 1], client_body_temp_path: [1, 4], proxy_temp_path: [1, 4],
  fastcgi_temp_path: [1, 4], uwsgi_temp_path: [1, 4], scgi_temp_path: [1, 4], underscores_in_headers: [1, 1],
  // rewrite
  return: [1, 2], rewrite: [2, 3], set: [2, 2], break: [0, 0], rewrite_log: [1, 1],
  // headers
  add_header: [2, 3], add_trailer: [2, 3], expires: [1, 2], add_header_inherit: [1, 1],
  // gzip / brotli
  gzip: [1, 1], gzip_types: [1, -1], gzip_min_length: [1, 1], gzip_comp_level: [1, 1], gzip_vary: [1, 1], gzip_proxied: [1, -1],
  gzip_disable: [1, -1], gzip_http_version: [1, 1], gzip_buffers: [2, 2], gzip_static: [1, 1], gunzip: [1, 1],
  brotli: [1, 1], brotli_static: [1, 1], brotli_types: [1, -1], brotli_comp_level: [1, 1], brotli_min_length: [1, 1],
  brotli_window: [1, 1], brotli_buffers: [2, 2],
  // proxy
  proxy_pass: [1, 1], proxy_http_version: [1, 1], proxy_set_header: [2, 2], proxy_hide_header: [1, 1], proxy_pass_header: [1, 1],
  proxy_redirect: [1, 2], proxy_buffering: [1, 1], proxy_request_buffering: [1, 1], proxy_buffer_size: [1, 1], proxy_buffers: [2, 2],
  proxy_read_timeout: [1, 1], proxy_send_timeout: [1, 1], proxy_connect_timeout: [1, 1], proxy_next_upstream: [1, -1],
  proxy_cache: [1, 1], proxy_cache_path: [2, -1], proxy_cache_key: [1, 1], proxy_cache_valid: [1, -1], proxy_cache_methods: [1, -1],
  proxy_cache_bypass: [1, -1], proxy_no_cache: [1, -1], proxy_cache_lock: [1, 1], proxy_cache_use_stale: [1, -1],
  proxy_cache_background_update: [1, 1], proxy_cache_revalidate: [1, 1], proxy_cache_min_uses: [1, 1], proxy_ignore_headers: [1, -1],
  proxy_ssl_server_name: [1, 1], proxy_intercept_errors: [1, 1], proxy_max_temp_file_size: [1, 1],
  fastcgi_pass: [1, 1], fastcgi_param: [2, 3], fastcgi_index: [1, 1], fastcgi_keep_conn: [1, 1], fastcgi_split_path_info: [1, 1],
  fastcgi_cache: [1, 1], fastcgi_read_timeout: [1, 1], uwsgi_pass: [1, 1], scgi_pass: [1, 1], grpc_pass: [1, 1], memcached_pass: [1, 1],
  // upstream
  keepalive: [1, 1], keepalive_time: [1, 1], least_conn: [0, 0], ip_hash: [0, 0], hash: [1, 2], zone: [1, 2], random: [0, 2],
  // ssl
  ssl_certificate: [1, 1], ssl_certificate_key: [1, 1], ssl_protocols: [1, -1], ssl_ciphers: [1, 1], ssl_prefer_server_ciphers: [1, 1],
  ssl_session_cache: [1, 2], ssl_session_timeout: [1, 1], ssl_session_tickets: [1, 1], ssl_stapling: [1, 1], ssl_stapling_verify: [1, 1],
  ssl_dhparam: [1, 1], ssl_trusted_certificate: [1, 1], ssl_ecdh_curve: [1, 1],
  // access / limits
  allow: [1, 1], deny: [1, 1], auth_basic: [1, 1], auth_basic_user_file: [1, 1], limit_req: [1, 3], limit_req_zone: [3, 4],
  limit_conn: [2, 2], limit_conn_zone: [2, 2], limit_rate: [1, 1], satisfy: [1, 1], real_ip_header: [1, 1], set_real_ip_from: [1, 1],
};

/** Directives that open a block. */
export const BLOCK_DIRECTIVES = new Set([
  'events', 'http', 'server', 'location', 'if', 'upstream', 'types', 'map', 'geo', 'split_clients', 'limit_except', 'stream', 'mail',
  'charset_map', 'match',
]);

export function isKnownDirective(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ARITY, name) || BLOCK_DIRECTIVES.has(name);
}

export function maxArgs(name: string): number | undefined {
  if (!Object.prototype.hasOwnProperty.call(ARITY, name)) return undefined;
  const max = ARITY[name][1];
  return max < 0 ? undefined : max;
}

export const KNOWN_DIRECTIVES: readonly string[] = Object.keys(ARITY);
