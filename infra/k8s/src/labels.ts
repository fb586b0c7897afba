/** The labels every object carries; pods are selected by `app.kubernetes.io/name` alone (one namespace per system). */
export const PART_OF = 'resilient-shop';

export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

export function workloadLabels(name: string): Record<string, string> {
  return { ...selectorLabels(name), 'app.kubernetes.io/part-of': PART_OF };
}
