/** Helpers for the resource strings used in results (CONTRACT.md `resource`). */
export function nsRef(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
export function clusterRef(kind: string, name: string): string {
  return `${kind}/${name}`;
}
