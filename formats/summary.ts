import { GGML_TYPES_BY_NAME, GGUF_FILE_TYPES, countElements } from './dtypes.js';
import type { ModelHeader } from './types.js';

/** A compact description of a header for listings and `inspect`. */
export interface HeaderSummary {
  tensorCount: number;
  /** Sum of elements over all tensors (GGUF: of the unquantised shapes). */
  paramCount: number;
  /** Tensor count per dtype, e.g. `{ F16: 1131, F32: 2 }`. */
  dtypes: Record<string, number>;
  /** The dtype holding the most parameters, if any tensors. */
  primaryDtype: string | undefined;
  /**
   * GGUF only: `general.file_type` as a name (Q4_K_M, …), else the most common quantised type
   * among 2-D weights (ComfyUI-GGUF files often omit file_type). Undefined for other containers.
   */
  quantization: string | undefined;
}

/** Summarises a header; pure, reads nothing. */
export function describeHeader(h: Pick<ModelHeader, 'tensors' | 'metadata' | 'container'>): HeaderSummary {
  const dtypes: Record<string, number> = {};
  const paramsByDtype = new Map<string, number>();
  let paramCount = 0;
  for (const t of h.tensors) {
    const n = countElements(t.shape);
    paramCount += n;
    dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + 1;
    paramsByDtype.set(t.dtype, (paramsByDtype.get(t.dtype) ?? 0) + n);
  }
  return {
    tensorCount: h.tensors.length,
    paramCount,
    dtypes,
    primaryDtype: argMax(paramsByDtype),
    quantization: h.container === 'gguf' ? ggufQuantization(h) : undefined,
  };
}

function ggufQuantization(h: Pick<ModelHeader, 'tensors' | 'metadata'>): string | undefined {
  const fileType = h.metadata['general.file_type'];
  if (typeof fileType === 'number' && GGUF_FILE_TYPES.has(fileType)) return GGUF_FILE_TYPES.get(fileType);
  const counts = new Map<string, number>();
  for (const t of h.tensors) {
    if (t.shape.length !== 2 || GGML_TYPES_BY_NAME.get(t.dtype)?.quantized !== true) continue;
    counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  }
  return argMax(counts);
}

function argMax(m: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestValue = -1;
  for (const [k, v] of m) {
    if (v > bestValue) [best, bestValue] = [k, v];
  }
  return best;
}
