import type { z } from 'zod';
import {
  type DaemonSet,
  type DocumentLocation,
  documentLocation,
  DaemonSetSchema,
  type EC2NodeClass,
  EC2NodeClassSchema,
  type ManifestDocument,
  ManifestError,
  type Node,
  type NodeClaim,
  NodeClaimSchema,
  type NodePool,
  NodePoolSchema,
  NodeSchema,
  type PersistentVolume,
  type PersistentVolumeClaim,
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  type Pod,
  type PodDisruptionBudget,
  PodDisruptionBudgetSchema,
  PodSchema,
  type StorageClass,
  StorageClassSchema,
  type Workload,
  WorkloadSchemas,
  formatDocumentLocation,
  formatIssues,
} from '../../apis/index.ts';
import { safeParseFast } from '../../apis/fast-parse.ts';
import { readManifestFile } from '../manifest-file.ts';

/** A validated object and where it came from (for messages that name the object). */
export interface Located<T> {
  readonly object: T;
  readonly document: DocumentLocation;
}

/** Every object `skyscale plan` reads from its -f files, validated and sorted by kind. */
export interface PlanObjects {
  readonly nodePools: Located<NodePool>[];
  readonly nodeClasses: Located<EC2NodeClass>[];
  readonly nodeClaims: Located<NodeClaim>[];
  readonly pods: Located<Pod>[];
  readonly nodes: Located<Node>[];
  readonly daemonSets: Located<DaemonSet>[];
  readonly workloads: Located<Workload>[];
  readonly podDisruptionBudgets: Located<PodDisruptionBudget>[];
  readonly persistentVolumes: Located<PersistentVolume>[];
  readonly persistentVolumeClaims: Located<PersistentVolumeClaim>[];
  readonly storageClasses: Located<StorageClass>[];
}

export interface PlanDocuments {
  readonly objects: PlanObjects;
  /** One line per invalid field or unreadable file: `FILE (document N) KIND/NAME: field.path: message`. */
  readonly problems: readonly string[];
  /** Documents of kinds plan does not read. */
  readonly skipped: readonly string[];
}

type Accept = (document: ManifestDocument) => readonly z.core.$ZodIssue[];

function accept<T>(schema: z.ZodType<T>, into: Located<T>[]): Accept {
  return (document) => {
    const result = safeParseFast(schema, document.object);
    if (result.success) into.push({ object: result.data, document: documentLocation(document) });
    return result.success ? [] : result.error.issues;
  };
}

export function emptyPlanObjects(): PlanObjects {
  return {
    nodePools: [],
    nodeClasses: [],
    nodeClaims: [],
    pods: [],
    nodes: [],
    daemonSets: [],
    workloads: [],
    podDisruptionBudgets: [],
    persistentVolumes: [],
    persistentVolumeClaims: [],
    storageClasses: [],
  };
}

function acceptors(objects: PlanObjects): Readonly<Record<string, Accept>> {
  return {
    NodePool: accept(NodePoolSchema, objects.nodePools),
    EC2NodeClass: accept(EC2NodeClassSchema, objects.nodeClasses),
    NodeClaim: accept(NodeClaimSchema, objects.nodeClaims),
    Pod: accept(PodSchema, objects.pods),
    Node: accept(NodeSchema, objects.nodes),
    DaemonSet: accept(DaemonSetSchema, objects.daemonSets),
    Deployment: accept(WorkloadSchemas.Deployment, objects.workloads),
    StatefulSet: accept(WorkloadSchemas.StatefulSet, objects.workloads),
    ReplicaSet: accept(WorkloadSchemas.ReplicaSet, objects.workloads),
    Job: accept(WorkloadSchemas.Job, objects.workloads),
    PodDisruptionBudget: accept(PodDisruptionBudgetSchema, objects.podDisruptionBudgets),
    PersistentVolume: accept(PersistentVolumeSchema, objects.persistentVolumes),
    PersistentVolumeClaim: accept(PersistentVolumeClaimSchema, objects.persistentVolumeClaims),
    StorageClass: accept(StorageClassSchema, objects.storageClasses),
  };
}

/** Reads every file, validating each object against the schema of its kind. */
export async function readPlanDocuments(files: readonly string[]): Promise<PlanDocuments> {
  const objects = emptyPlanObjects();
  const byKind = acceptors(objects);
  const problems: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    let documents: ManifestDocument[];
    try {
      documents = await readManifestFile(file);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      problems.push(error.message);
      continue;
    }
    for (const document of documents) {
      const acceptKind = document.kind === undefined ? undefined : byKind[document.kind];
      if (!acceptKind) {
        skipped.push(`${formatDocumentLocation(document)}: skipped: plan does not read this kind`);
        continue;
      }
      const issues = acceptKind(document);
      if (issues.length > 0) problems.push(...formatIssues(document, issues));
    }
  }
  return { objects, problems, skipped };
}
