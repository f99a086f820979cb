/**
 * Package failures. They extend ConfigError so the CLI exits 2 (bad input)
 * and the message names the package, the file and the key when known.
 */
import { ConfigError, type ConfigLocation, type KTErrorOptions } from '../errors.js';

/** An install, update or uninstall that could not be done; nothing was left half-written. */
export class PackageInstallError extends ConfigError {
  constructor(detail: string, location: ConfigLocation = {}, options: KTErrorOptions = {}) {
    super(detail, location, { code: 'PACKAGE_INSTALL_FAILED', ...options });
  }
}

/** A kohaku.yaml that does not validate, or a package module that fails to load. */
export class ManifestError extends ConfigError {
  constructor(detail: string, location: ConfigLocation = {}, options: KTErrorOptions = {}) {
    super(detail, location, { code: 'PACKAGE_MANIFEST_INVALID', ...options });
  }
}

/** The marketplace index could not be read, or does not list what was asked. */
export class MarketplaceError extends ConfigError {
  constructor(detail: string, location: ConfigLocation = {}, options: KTErrorOptions = {}) {
    super(detail, location, { code: 'MARKETPLACE_ERROR', ...options });
  }
}
