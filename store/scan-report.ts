import type { CompanionReport } from './companions.js';
import type { ScanOutcome } from './import-batch.js';

/** What a scan did, file by file, with the counts. */
export interface ScanReport {
  imported: number;
  duplicates: number;
  /** Damaged store files replaced by the verified bytes of a good copy found in this scan. */
  repaired: number;
  unchanged: number;
  skipped: number;
  failed: number;
  bytesHashed: number;
  files: ScanOutcome[];
  failures: Array<{ path: string; code: string; reason: string }>;
  /** Companion files (previews, metadata) copied into the store beside the models; absent in a dry run. */
  companions?: CompanionReport;
}

export function emptyScanReport(): ScanReport {
  return { imported: 0, duplicates: 0, repaired: 0, unchanged: 0, skipped: 0, failed: 0, bytesHashed: 0, files: [], failures: [] };
}

/** Record one file's outcome and count it. */
export function addOutcome(report: ScanReport, o: ScanOutcome): void {
  report.files.push(o);
  switch (o.outcome) {
    case 'imported':
      report.imported++;
      break;
    case 'duplicate':
      report.duplicates++;
      break;
    case 'repaired':
      report.repaired++;
      break;
    case 'unchanged':
      report.unchanged++;
      break;
    case 'skipped':
      report.skipped++;
      break;
    case 'failed':
      report.failed++;
      report.failures.push({ path: o.path, code: o.code ?? 'ERR_MODELHUB_UNKNOWN', reason: o.reason ?? '' });
      break;
    case 'would-import':
      break;
  }
}
