/**
 * A plan as the AWS API requests that carry it out: one `CreateAccessEntry`
 * per entry, one `AssociateAccessPolicy` per policy. Every renderer prints
 * these, so all formats say the same thing.
 *
 * @module
 */
import type { AccessEntryType } from '../../access-entries/types.js';
import type { MigrationPlan } from '../types.js';

/** The `CreateAccessEntry` input of one entry. */
export interface CreateAccessEntryRequest {
  /** Cluster name. */
  clusterName: string;
  /** Principal ARN (with its role path when known). */
  principalArn: string;
  /** Entry type. */
  type: AccessEntryType;
  /** Custom username, when the default would differ. */
  username?: string;
  /** Groups, for STANDARD entries that have any. */
  kubernetesGroups?: string[];
}

/** The `AssociateAccessPolicy` input of one policy. */
export interface AssociateAccessPolicyRequest {
  /** Cluster name. */
  clusterName: string;
  /** Principal ARN of the entry. */
  principalArn: string;
  /** Access policy ARN. */
  policyArn: string;
  /** Scope: `cluster`, or `namespace` with namespaces. */
  accessScope: { type: 'cluster' | 'namespace'; namespaces?: string[] };
}

/** One entry's requests. */
export interface EntryRequests {
  /** Create the entry. */
  create: CreateAccessEntryRequest;
  /** Then associate its policies. */
  associate: AssociateAccessPolicyRequest[];
}

/** The requests of `plan`, entry by entry. */
export function planRequests(plan: MigrationPlan): EntryRequests[] {
  const clusterName = plan.clusterName;
  return plan.entries.map((e) => ({
    create: {
      clusterName,
      principalArn: e.principalArn,
      type: e.type,
      ...(e.username === undefined ? {} : { username: e.username }),
      ...(e.kubernetesGroups.length === 0 ? {} : { kubernetesGroups: [...e.kubernetesGroups] }),
    },
    associate: e.accessPolicies.map((p) => ({
      clusterName,
      principalArn: e.principalArn,
      policyArn: p.policyArn,
      accessScope:
        p.accessScope.type === 'cluster'
          ? { type: 'cluster' as const }
          : { type: 'namespace' as const, namespaces: [...p.accessScope.namespaces] },
    })),
  }));
}
