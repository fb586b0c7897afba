/** The one way in from outside: the ingress controller routes every path to the gateway's Service. */
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { systemServices } from '@shop/contracts';
import { workloadLabels } from './labels';
import type { IngressInput } from './shop-props';

export interface GatewayIngressProps {
  readonly gateway: kplus.Service;
  readonly ingress: IngressInput;
}

export class GatewayIngress extends Construct {
  constructor(scope: Construct, id: string, { gateway, ingress }: GatewayIngressProps) {
    super(scope, id);
    new kplus.Ingress(this, 'ingress', {
      metadata: { name: 'gateway', labels: workloadLabels('gateway') },
      ...(ingress.className ? { className: ingress.className } : {}),
      rules: [
        {
          ...(ingress.host ? { host: ingress.host } : {}),
          path: '/',
          pathType: kplus.HttpIngressPathType.PREFIX,
          backend: kplus.IngressBackend.fromService(gateway, { port: systemServices.gateway.port }),
        },
      ],
    });
  }
}
