/**
 * Configuration libraries whose `get(key)` reads one setting, recognised by import whatever the receiver is called:
 * `nconf.get('relative_path')`, convict's `conf.get('port')`, node-config's `config.get('server.port')`,
 * `@nestjs/config`'s `ConfigService#get`.
 */
export const CONFIG_LIBRARY_PACKAGES: ReadonlySet<string> = new Set(['@nestjs/config', 'nconf', 'config', 'convict']);
