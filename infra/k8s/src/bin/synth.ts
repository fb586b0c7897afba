#!/usr/bin/env node
// `pnpm k8s:synth`: writes both profiles' manifests to dist/cluster and dist/local (system/ and provision/ each).
// The cluster profile's inputs come from K8S_* variables (cluster-environment.ts); the local one needs none.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { clusterShopFromEnvironment } from '../cluster-environment';
import { clusterProfile, localProfile, profileApps, type Profile } from '../profiles';

// The package's version names a release's images unless K8S_IMAGE_TAG says otherwise.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
const { version } = require('../../package.json') as { version: string };
const packageRoot = join(__dirname, '..', '..');

const profiles: Profile[] = [
  clusterProfile(clusterShopFromEnvironment(process.env, version)),
  localProfile(process.env.K8S_LOCAL_IMAGE_TAG ? { registry: '', tag: process.env.K8S_LOCAL_IMAGE_TAG } : undefined),
];

for (const profile of profiles) {
  const outdir = join(packageRoot, 'dist', profile.name);
  // A manifest left from an earlier run would be applied with the rest: each profile's folder is written afresh.
  rmSync(outdir, { recursive: true, force: true });
  const { system, provision } = profileApps(profile, outdir);
  system.synth();
  provision.synth();
  console.log(`${profile.name}: ${join('infra/k8s/dist', profile.name)}/{system,provision}`);
}
