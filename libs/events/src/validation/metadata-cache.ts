import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * class-validator looks up and groups a class's validation metadata on every call, which
 * is about a fifth of the cost of validating one event. The catalog's classes are all
 * decorated when their modules load, before any event is validated, so the lookups can be
 * remembered per class. Only the plain case is cached (no groups, no schema, no `always`),
 * which is the only one the catalog uses; every other call goes to class-validator as is.
 */
let installed = false;

export function cacheValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const byClass = new Map<unknown, ValidationMetadata[]>();
  const grouped = new WeakMap<ValidationMetadata[], { [propertyName: string]: ValidationMetadata[] }>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    if (schema || always || strictGroups || (groups !== undefined && groups.length > 0)) {
      return lookup(target, schema, always, strictGroups, groups);
    }
    let metadata = byClass.get(target);
    if (metadata === undefined) {
      metadata = lookup(target, schema, always, strictGroups, groups);
      byClass.set(target, metadata);
    }
    return metadata;
  };
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (byProperty === undefined) {
      byProperty = group(metadata);
      grouped.set(metadata, byProperty);
    }
    return byProperty;
  };
}
