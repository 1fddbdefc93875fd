// Errors from the cluster adapter, as types a caller can act on. Messages are built from the
// API server's Status with Secret values redacted (see to-cluster-error.ts).

/** Which object or request an error is about, when known. */
export interface ClusterErrorTarget {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface ClusterErrorInit extends ClusterErrorTarget {
  /** HTTP status; undefined when no response arrived. */
  status?: number;
  /** The Status `reason` (NotFound, AlreadyExists, Invalid, ...), when the server gave one. */
  reason?: string;
}

/** Base of every error the adapter throws; anything not covered by a subclass is this class. */
export class ClusterError extends Error {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly target: ClusterErrorTarget;

  constructor(message: string, init: ClusterErrorInit = {}) {
    super(message);
    this.name = new.target.name;
    this.status = init.status;
    this.reason = init.reason;
    const { apiVersion, kind, namespace, name } = init;
    this.target = { apiVersion, kind, namespace, name };
  }
}

/** The object does not exist (404). */
export class NotFoundError extends ClusterError {}

/** The cluster serves no resource for this apiVersion and kind (yet: a CRD may be missing). */
export class UnknownKindError extends NotFoundError {}

/** One field owned by another field manager, from a server-side apply conflict. */
export interface FieldConflict {
  /** Field path, e.g. `spec.replicas` or `spec.template.spec.containers[name="web"].image`. */
  field: string;
  /** The manager that owns it, e.g. `kubectl-client-side-apply`; empty when not reported. */
  manager: string;
  message: string;
}

/**
 * 409: a server-side apply conflict (`conflicts` lists the fields and their managers; apply
 * again with `force: true` to take them over), or AlreadyExists, or a stale resourceVersion.
 */
export class ConflictError extends ClusterError {
  readonly conflicts: FieldConflict[];

  constructor(message: string, init: ClusterErrorInit & { conflicts?: FieldConflict[] } = {}) {
    super(message, init);
    this.conflicts = init.conflicts ?? [];
  }

  /** The distinct managers that own conflicting fields. */
  get managers(): string[] {
    return [...new Set(this.conflicts.map((c) => c.manager).filter((m) => m !== ""))];
  }
}

/** One invalid field: its path without a leading dot (e.g. `spec.replicas`) and what is wrong. */
export interface FieldError {
  field: string;
  reason: string;
  message: string;
}

/** 422 Invalid, or a 400 that names fields (strict field validation, a bad patch body). */
export class InvalidError extends ClusterError {
  readonly fields: FieldError[];

  constructor(message: string, init: ClusterErrorInit & { fields?: FieldError[] } = {}) {
    super(message, init);
    this.fields = init.fields ?? [];
  }
}

/** 403: the credentials are not allowed to do this (RBAC, admission). */
export class ForbiddenError extends ClusterError {}

/** 401: the credentials were not accepted at all. */
export class UnauthorizedError extends ForbiddenError {}

/** 429, 5xx (after retries) or no response: try again later. */
export class UnavailableError extends ClusterError {
  /** The server's Retry-After, when it sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, init: ClusterErrorInit & { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, init);
    this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}
