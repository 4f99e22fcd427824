/**
 * Element sizes of the tensor types the readers report, so they can check that declared data
 * ranges fit the file, and so fixture writers can lay files out the same way.
 */

/** Bits per element of each safetensors dtype (`Dtype` enum of the safetensors crate). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8,
  F8_E4M3FNUZ: 8, F8_E5M2FNUZ: 8, I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32,
  C64: 64, F64: 64, I64: 64, U64: 64,
};

/** One GGML tensor type: `blockSize` elements are stored in `typeSize` bytes. */
export interface GgmlType {
  id: number;
  name: string;
  blockSize: number;
  typeSize: number;
  quantized: boolean;
}

const GGML_TYPE_ROWS: Array<[number, string, number, number]> = [
  [0, 'F32', 1, 4], [1, 'F16', 1, 2], [2, 'Q4_0', 32, 18], [3, 'Q4_1', 32, 20], [6, 'Q5_0', 32, 22],
  [7, 'Q5_1', 32, 24], [8, 'Q8_0', 32, 34], [9, 'Q8_1', 32, 36], [10, 'Q2_K', 256, 84], [11, 'Q3_K', 256, 110],
  [12, 'Q4_K', 256, 144], [13, 'Q5_K', 256, 176], [14, 'Q6_K', 256, 210], [15, 'Q8_K', 256, 292],
  [16, 'IQ2_XXS', 256, 66], [17, 'IQ2_XS', 256, 74], [18, 'IQ3_XXS', 256, 98], [19, 'IQ1_S', 256, 50],
  [20, 'IQ4_NL', 32, 18], [21, 'IQ3_S', 256, 110], [22, 'IQ2_S', 256, 82], [23, 'IQ4_XS', 256, 136],
  [24, 'I8', 1, 1], [25, 'I16', 1, 2], [26, 'I32', 1, 4], [27, 'I64', 1, 8], [28, 'F64', 1, 8],
  [29, 'IQ1_M', 256, 56], [30, 'BF16', 1, 2], [34, 'TQ1_0', 256, 54], [35, 'TQ2_0', 256, 66], [39, 'MXFP4', 32, 17],
  [40, 'NVFP4', 64, 36], [41, 'Q1_0', 128, 18], [42, 'Q2_0', 64, 18],
];

const UNQUANTIZED = new Set(['F32', 'F16', 'BF16', 'F64', 'I8', 'I16', 'I32', 'I64']);

/**
 * `enum ggml_type` by id, with block sizes and block bytes from ggml's type traits. Ids missing
 * here are removed (4, 5: Q4_2/Q4_3; 31–33, 36–38: repacked types no GGUF may hold) or unknown.
 */
export const GGML_TYPES: ReadonlyMap<number, GgmlType> = new Map(
  GGML_TYPE_ROWS.map(([id, name, blockSize, typeSize]) => [id, { id, name, blockSize, typeSize, quantized: !UNQUANTIZED.has(name) }]),
);

export const GGML_TYPES_BY_NAME: ReadonlyMap<string, GgmlType> = new Map([...GGML_TYPES.values()].map((t) => [t.name, t]));

/** llama.cpp `llama_ftype` (GGUF `general.file_type`) as short quantisation names. */
export const GGUF_FILE_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'F32'], [1, 'F16'], [2, 'Q4_0'], [3, 'Q4_1'], [4, 'Q4_1_SOME_F16'], [7, 'Q8_0'], [8, 'Q5_0'], [9, 'Q5_1'],
  [10, 'Q2_K'], [11, 'Q3_K_S'], [12, 'Q3_K_M'], [13, 'Q3_K_L'], [14, 'Q4_K_S'], [15, 'Q4_K_M'], [16, 'Q5_K_S'],
  [17, 'Q5_K_M'], [18, 'Q6_K'], [19, 'IQ2_XXS'], [20, 'IQ2_XS'], [21, 'Q2_K_S'], [22, 'IQ3_XS'], [23, 'IQ3_XXS'],
  [24, 'IQ1_S'], [25, 'IQ4_NL'], [26, 'IQ3_S'], [27, 'IQ3_M'], [28, 'IQ2_S'], [29, 'IQ2_M'], [30, 'IQ4_XS'],
  [31, 'IQ1_M'], [32, 'BF16'], [36, 'TQ1_0'], [37, 'TQ2_0'], [38, 'MXFP4_MOE'], [1024, 'GUESSED'],
]);

/** Product of a shape's dims (1 for a 0-rank tensor); may exceed 2^53 for hostile shapes. */
export function countElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `countElements` exactly, for overflow checks against 64-bit limits. */
export function countElementsExact(shape: readonly (number | bigint)[]): bigint {
  let n = 1n;
  for (const d of shape) n *= BigInt(d);
  return n;
}

/** The safetensors crate's bit size of a dtype, or undefined for a name outside the spec (exact case). */
export function safetensorsDtypeBits(dtype: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(SAFETENSORS_DTYPE_BITS, dtype) ? SAFETENSORS_DTYPE_BITS[dtype] : undefined;
}

/**
 * Bytes a safetensors tensor occupies, or undefined for an unknown dtype or for sub-byte
 * elements that do not fill whole bytes (which the crate refuses).
 */
export function safetensorsByteSize(dtype: string, shape: readonly number[]): number | undefined {
  const bits = safetensorsDtypeBits(dtype);
  if (bits === undefined) return undefined;
  const total = countElements(shape) * bits;
  return total % 8 === 0 ? total / 8 : undefined;
}

/**
 * Bytes a GGML tensor occupies, or undefined for an unknown type or a row (the innermost,
 * last PyTorch dim) that is not a whole number of blocks, which ggml refuses.
 */
export function ggmlByteSize(type: GgmlType | undefined, shape: readonly number[]): number | undefined {
  if (type === undefined) return undefined;
  const inner = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  if (inner % type.blockSize !== 0) return undefined;
  return (countElements(shape) / type.blockSize) * type.typeSize;
}
