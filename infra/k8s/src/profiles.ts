/**
 * The two ways this app deploys the system. `cluster`: Postgres and SNS/SQS are managed services (or charts of
 * their own) reached at the addresses given. `local`: a kind or minikube cluster that has neither, so Postgres and
 * LocalStack run beside the services.
 */
import { join } from 'node:path';
import { App } from 'cdk8s';
import { LocalBackingServicesChart, ProvisionChart, ShopChart } from './charts';
import { selectorLabels } from './labels';
import { LOCALSTACK_PORT, POSTGRES_PORT } from './local-backing-services';
import type { ImageSource, ShopProps } from './shop-props';

export interface Profile {
  readonly name: 'cluster' | 'local';
  readonly shop: ShopProps;
  readonly localBackingServices: boolean;
}

/** `system`: everything `kubectl apply` starts. `provision`: the Job, applied after it (it needs SNS/SQS up). */
export interface ProfileApps {
  readonly system: App;
  readonly provision: App;
}

export function profileApps(profile: Profile, outdir = join('dist', profile.name)): ProfileApps {
  const system = new App({ outdir: join(outdir, 'system') });
  if (profile.localBackingServices) {
    new LocalBackingServicesChart(system, 'backing-services', { shop: profile.shop });
  }
  new ShopChart(system, 'resilient-shop', { shop: profile.shop });
  const provision = new App({ outdir: join(outdir, 'provision') });
  new ProvisionChart(provision, 'provision', { shop: profile.shop });
  return { system, provision };
}

export const DEFAULT_NAMESPACE = 'resilient-shop';
export const DEFAULT_SECRET_NAME = 'resilient-shop';

/** `docker compose build` tags the images `:local`; `kind load docker-image` puts them on the cluster's nodes. */
export const LOCAL_IMAGES: ImageSource = { registry: '', tag: 'local' };

export function localProfile(images: ImageSource = LOCAL_IMAGES): Profile {
  return {
    name: 'local',
    localBackingServices: true,
    shop: {
      namespace: DEFAULT_NAMESPACE,
      images,
      secretName: DEFAULT_SECRET_NAME,
      postgres: {
        host: 'postgres',
        port: POSTGRES_PORT,
        user: 'postgres',
        peer: { podLabels: selectorLabels('postgres') },
      },
      messaging: {
        region: 'us-east-1',
        endpointUrl: `http://localstack:${LOCALSTACK_PORT}`,
        peer: { podLabels: selectorLabels('localstack') },
        credentials: { source: 'emulator' },
      },
      // ingress-nginx, as kind's ingress guide installs it.
      ingress: { className: 'nginx', controllerNamespace: 'ingress-nginx' },
    },
  };
}

export function clusterProfile(shop: ShopProps): Profile {
  return { name: 'cluster', localBackingServices: false, shop };
}
