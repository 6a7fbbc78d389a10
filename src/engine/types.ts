// Values shared by the engine's modules: partition states, dependency results, run summaries.
import type { IsoDate } from '../core/dates.js';
import type { ProcessorKey } from '../processors/processor.js';

export type PartitionStatus = 'complete' | 'bootstrap_empty' | 'failed' | 'skipped_upstream';
export type DateLevelCategory = 'MISSING_DEPENDENCIES' | 'QUERY_TIMEOUT' | 'PROCESSING_ERROR';
export type RunMode = 'backfill' | 'daily';

export interface GameDate {
  readonly date: IsoDate;
  readonly isBootstrap: boolean;
}

/** What nba_processing.partition_status says about one (processor, date). */
export interface PartitionState {
  readonly status: PartitionStatus;
  readonly version: string;
  readonly fingerprint: string | null;
  /** Count + checksum of the partition's output rows; downstream fingerprints are built from it. */
  readonly outputChecksum: string | null;
}

/** Result of the run-level dependency checks for one processor and date. */
export interface DependencyVerdict {
  readonly ok: boolean;
  /** Category when not ok: MISSING_DEPENDENCIES, or QUERY_TIMEOUT when the check itself timed out. */
  readonly category: DateLevelCategory | null;
  readonly problems: readonly string[];
  /** Freshness warnings (daily mode only); they do not fail the partition. */
  readonly staleWarnings: readonly string[];
  /**
   * The Phase 3 part of the upstream fingerprint: "table:count:checksum" per dependency check, and
   * "reads id:count:checksum" per read window over a Phase 3 table (ProcessorDefinition.reads).
   */
  readonly fingerprintParts: readonly string[];
  /** The read windows over other processors' partitions ("reads id:count:checksum"); absent: none. */
  readonly outputWindowParts?: readonly string[];
}

export interface ProcessorRunSummary {
  readonly processor: ProcessorKey;
  readonly processorName: string;
  planned: number;
  upToDate: number;
  complete: number;
  bootstrapEmpty: number;
  failed: number;
  skippedUpstream: number;
  rowsWritten: number;
  entityFailures: number;
  batches: number;
  durationMs: number;
}

export interface RunSummary {
  readonly runId: string;
  readonly mode: RunMode;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly status: 'success' | 'partial' | 'failed' | 'interrupted';
  /** The signal that stopped the run early (status 'interrupted'); its partitions so far are committed. */
  readonly interruptedBy?: NodeJS.Signals;
  readonly processors: readonly ProcessorRunSummary[];
  readonly failedPartitions: readonly { processor: ProcessorKey; date: IsoDate; status: PartitionStatus; category: string | null; reason: string }[];
  readonly durationMs: number;
  /** 0 when every partition completed, 1 when any failed or was skipped, 128 + n when signal n stopped it (130 SIGINT, 143 SIGTERM). */
  readonly exitCode: number;
}

export function partitionKey(processor: string, date: IsoDate): string {
  return `${processor}|${date}`;
}
