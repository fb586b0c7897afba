/**
 * The restricted Pod Security Standard for our own images: no root, no privilege escalation, no capabilities, the
 * runtime's seccomp profile, and a root filesystem nothing can write to (so a compromised process cannot change
 * the code it runs). Shared by the services and the provisioning job.
 */
import * as kplus from 'cdk8s-plus-34';
import { Size } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * The Node image's `node` user. The Dockerfile says `USER node`, a name: the kubelet can only prove "non-root" from
 * a number, so the pod states it.
 */
const NODE_USER_ID = 1000;

export const NON_ROOT_POD: kplus.PodSecurityContextProps = {
  ensureNonRoot: true,
  user: NODE_USER_ID,
  group: NODE_USER_ID,
};

export const RESTRICTED_CONTAINER: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: NODE_USER_ID,
  group: NODE_USER_ID,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** The one writable place: Node and its libraries may put temporary files in /tmp (os.tmpdir()). */
export function temporaryFilesMount(scope: Construct): kplus.VolumeMount {
  return { path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }) };
}
