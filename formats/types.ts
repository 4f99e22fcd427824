import type { ModelFormat } from '../core/vocabulary.js';

/** The container a file turned out to be, found from its first bytes (not its extension). */
export type Container = 'safetensors' | 'gguf' | 'torch-zip' | 'torch-legacy' | 'pickle';

/** One tensor as declared in a header. `shape` is always in PyTorch order (GGUF dims reversed). */
export interface TensorInfo {
  name: string;
  /** safetensors dtype string (F16, BF16, F8_E4M3, …), GGML type name (Q4_K, F16, …) or torch storage dtype. */
  dtype: string;
  shape: number[];
}

/** A metadata value as read from a header: strings, numbers, booleans, or (bounded) arrays of them. */
export type MetadataValue = string | number | boolean | bigint | MetadataValue[] | { arrayOf: string; length: number };

/**
 * Everything a reader learned from a model file's header, without reading its weights.
 * Readers never execute, never allocate from untrusted lengths beyond their caps, and never write.
 */
export interface ModelHeader {
  path: string;
  /** From the extension; `container` says what the bytes really are. */
  format: ModelFormat;
  container: Container;
  /** File size in bytes (of the file a symlink resolves to). */
  size: number;
  tensors: TensorInfo[];
  /**
   * safetensors: `__metadata__` (string→string, nested JSON left as strings).
   * GGUF: every KV pair (arrays longer than the cap summarised as `{ arrayOf, length }`).
   * torch: non-tensor entries of the top-level dict (name, step, sd_checkpoint_name, …) as strings/numbers.
   */
  metadata: Record<string, MetadataValue>;
  /** Byte offset where tensor data begins (safetensors: 8 + N; GGUF: aligned data start; torch: 0). Used for AutoV3. */
  dataOffset: number;
  /** How many bytes of the file the reader actually read (for the "headers, not weights" benchmark). */
  bytesRead: number;
  /** GGUF only: format version (1–3). */
  version?: number;
  /**
   * Pickle-based files: why loading them is unsafe. Globals referenced outside the set torch
   * checkpoints use (`os.system`), INST/OBJ/NEWOBJ_EX/EXT uses, and zip entries that appear twice
   * (`zip entry "archive/data.pkl" appears twice`). Non-empty means unsafe.
   */
  unsafeGlobals?: string[];
  /** Non-fatal oddities (padding, unknown dtype, truncated tensor data for safetensors, …). */
  warnings: string[];
}
