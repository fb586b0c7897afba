// @shop/infra-k8s: the system's Kubernetes manifests as cdk8s constructs, for this repository's app or your own.
export { ShopChart, ProvisionChart, LocalBackingServicesChart, type ShopChartProps } from './charts';
export { clusterProfile, localProfile, profileApps, LOCAL_IMAGES, type Profile, type ProfileApps } from './profiles';
export { clusterShopFromEnvironment } from './cluster-environment';
export { ServiceWorkload, MIN_REPLICAS, type ServiceWorkloadProps } from './service-workload';
export { SystemNetworkPolicies } from './network-policies';
export { ProvisionJob } from './provision-job';
export { LocalBackingServices, LOCALSTACK_IMAGE, POSTGRES_IMAGE, serviceDatabasesSql } from './local-backing-services';
export { GatewayIngress } from './gateway-ingress';
export { IRSA_ROLE_ANNOTATION } from './service-account';
export { SECRET_KEYS } from './service-environment';
export { isDataService, serviceWorkloads, SERVICE_NAMES } from './service-workloads';
export { dependenciesOf, type Dependency } from './dependencies';
export { TERMINATION_GRACE_PERIOD_SECONDS, DRAIN_SECONDS, PRE_STOP_SLEEP_SECONDS } from './shutdown-timing';
export { imageReference, assertPinnedTag } from './images';
export type {
  AwsCredentials,
  AwsWorkload,
  Endpoint,
  ImageSource,
  IngressInput,
  MessagingInput,
  NetworkPeer,
  PostgresInput,
  ShopProps,
} from './shop-props';
