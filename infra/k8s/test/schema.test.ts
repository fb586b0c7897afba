// Every object both profiles write, validated against the Kubernetes OpenAPI schemas (kubernetes-models' per-kind
// classes): wrong types and missing required fields fail here rather than at `kubectl apply`.
import { PROFILES, type KubeObject } from './support/synthesised';

type Validatable = new (data: KubeObject) => { validate(): void };

/** `apps/v1` → kubernetes-models/apps/v1, `v1` → kubernetes-models/v1. */
async function modelOf({ apiVersion, kind }: KubeObject): Promise<Validatable> {
  const models = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, Validatable>;
  const model = models[kind];
  if (!model) throw new Error(`kubernetes-models has no ${kind} in ${apiVersion}`);
  return model;
}

describe.each(PROFILES)('the %s profile', (_name, objects) => {
  it.each(objects.map((object) => [`${object.kind} ${object.metadata.name}`, object] as const))(
    '%s is valid',
    async (_label, object) => {
      const Model = await modelOf(object);
      expect(() => new Model(object).validate()).not.toThrow();
    },
  );

  it('puts every object in the namespace', () => {
    expect(new Set(objects.map((object) => object.metadata.namespace))).toEqual(new Set(['resilient-shop']));
  });
});
