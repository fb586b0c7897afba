/**
 * How a pod stops, in the order Kubernetes does it. The grace period has to cover all of it, or the kubelet's
 * SIGKILL cuts off requests that service-kit was still answering.
 */

/**
 * Kubernetes removes a terminating pod from its Service's endpoints at the same time as it signals the pod; until
 * every node's proxy has caught up, new connections still arrive. Sleeping before SIGTERM keeps answering them.
 */
export const PRE_STOP_SLEEP_SECONDS = 5;

/** service-kit's SHUTDOWN_GRACE_MS, set explicitly in each ConfigMap: in-flight requests drain for this long. */
export const DRAIN_SECONDS = 10;

/** After draining: workers, messaging, the database pool and the last spans are closed in turn. */
const CLOSE_SECONDS = 5;

export const TERMINATION_GRACE_PERIOD_SECONDS = PRE_STOP_SLEEP_SECONDS + DRAIN_SECONDS + CLOSE_SECONDS;
