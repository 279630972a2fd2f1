export type { Catalog, CatalogEntry } from './catalog-schema.ts';
export { CatalogEntrySchema, CatalogSchema } from './catalog-schema.ts';
export {
  CatalogError,
  EMBEDDED_CATALOG_REGIONS,
  embeddedCatalog,
  embeddedInstanceTypes,
  instanceTypesFromCatalog,
} from './embedded-catalog.ts';
export { estimatedSpotDiscount, estimatedSpotPrice } from './spot-price-estimate.ts';
