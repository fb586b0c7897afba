/** Image references: every workload runs `resilient-shop/<image>:<tag>`, the names the root Dockerfile builds. */
import type { ImageSource } from './shop-props';

/** Refuses tags that do not name one build: a moving tag makes two pods of one Deployment run different code. */
export function assertPinnedTag(tag: string): void {
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`image tag ${JSON.stringify(tag)} is not a valid tag`);
  if (tag === 'latest')
    throw new Error('image tag "latest" is not pinned: name the release (e.g. its version or commit)');
}

/** `image` is the Dockerfile's name for it: `order-service`, `tools`. */
export function imageReference({ registry, tag }: ImageSource, image: string): string {
  assertPinnedTag(tag);
  const repository = `resilient-shop/${image}`;
  return registry ? `${registry.replace(/\/+$/, '')}/${repository}:${tag}` : `${repository}:${tag}`;
}
