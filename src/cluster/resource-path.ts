import { InvalidError } from './cluster-error.js';
import type { ResourceInfo } from './create-discovery.js';

/**
 * The REST path of a resource's collection (no name) or of one object. A namespaced kind needs
 * a namespace, or none for a list across all namespaces; a cluster-scoped kind ignores it.
 */
export function resourcePath(info: ResourceInfo, where: { namespace?: string; name?: string; allNamespaces?: boolean }): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  let path = base;
  if (info.namespaced && !where.allNamespaces) {
    if (!where.namespace) {
      throw new InvalidError(`${info.kind} is namespaced and no namespace was given`, {
        apiVersion: info.group === '' ? info.version : `${info.group}/${info.version}`,
        kind: info.kind,
        name: where.name,
        fields: [{ field: 'metadata.namespace', reason: 'FieldValueRequired', message: 'namespace is required' }],
      });
    }
    path += `/namespaces/${encodeURIComponent(where.namespace)}`;
  }
  path += `/${info.resource}`;
  if (where.name !== undefined) path += `/${encodeURIComponent(where.name)}`;
  return path;
}
