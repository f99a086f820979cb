/**
 * The library's `packages` namespace: install, list, update, remove and
 * `ensure` packages from code, as `kt install` and friends do.
 */
export { installPackage as install, uninstallPackage as uninstall, updatePackage as update, ensurePackage as ensure } from './install.js';
export type { InstallOptions, InstalledPackage, UpdateResult } from './install.js';
export { listPackages as list, packageInfo as info } from './listing.js';
export type { PackageSummary } from './listing.js';
export { readManifest, manifestSchema, type Manifest } from './manifest.js';
export { packageDigest as digest } from './digest.js';
export { loadIndex as marketplaceIndex, searchIndex as searchMarketplace } from './marketplace.js';
export { PackageInstallError, ManifestError, MarketplaceError } from './errors.js';
