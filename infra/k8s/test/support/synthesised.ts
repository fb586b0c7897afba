/** Both profiles synthesised in memory (no files, no cluster), as the plain objects `kubectl apply` would read. */
import { Testing } from 'cdk8s';
import { clusterProfile, clusterShopFromEnvironment, localProfile, profileApps, type Profile } from '../../src';

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
  };
  // Each kind has its own; tests read what they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec?: any;
  readonly data?: Record<string, string>;
}

export function synthesise(profile: Profile): KubeObject[] {
  const { system, provision } = profileApps(profile);
  return [...system.charts, ...provision.charts].flatMap((chart) => Testing.synth(chart) as KubeObject[]);
}

/** The cluster profile as `pnpm k8s:synth` writes it with no K8S_* variables, plus `env`. */
export function clusterObjects(env: Record<string, string> = {}): KubeObject[] {
  return synthesise(clusterProfile(clusterShopFromEnvironment(env, '0.1.0')));
}

export function localObjects(): KubeObject[] {
  return synthesise(localProfile());
}

export const PROFILES: ReadonlyArray<readonly [name: string, objects: KubeObject[]]> = [
  ['cluster', clusterObjects()],
  ['local', localObjects()],
];

export function ofKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}
