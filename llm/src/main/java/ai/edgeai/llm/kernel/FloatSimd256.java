package ai.edgeai.llm.kernel;

import ai.edgeai.llm.tensor.Dequantize;
import ai.edgeai.llm.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float-activation kernels with 256-bit vectors. FloatSimd128/256/512 are the same source
 * but for the width (keep them so): one class per width, so the species is a compile-time constant; a species passed as a parameter is not, and
 * then the Vector API boxes every vector on the heap.
 *
 * <p>Weight rows other than F32 are first dequantized with the scalar reference
 * ({@link Dequantize#row}, bit-exact to ggml) into a per-thread scratch row, then multiplied; the
 * same function serves decode and prefill, so a prompt token gets the very same logits either way.
 */
final class FloatSimd256 {

  static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  /** Quant bytes read per load when dequantizing: as many as float lanes, but at least 8 (the narrowest byte vector). */
  private static final VectorSpecies<Byte> B = S.length() >= 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  /** Int lanes as many as the float lanes. */
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
  /** Float vectors one byte load widens into (2 only at 128 bits: 8 bytes, 4 float lanes). */
  private static final int PARTS = B.length() / S.length();
  /** Weight rows dequantized together for {@link #gemm}; the panel holds this many rows. */
  static final int GEMM_ROWS = 4;

  /*
   * Lane exchanges for the dot products' horizontal sum, which is written out in a fixed order
   * (lane i plus lane i ^ 4, then i ^ 2, ... down to lane 0): reduceLanes(ADD) sums in one order
   * in the Vector API's Java fallback and in another in C2's code, so a dot product's bits changed
   * once it was compiled (128 of 200 random 64-element dots, 512-bit, on the EPYC VM), and with
   * them a cold first request's attention scores.
   */
  private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(S, i -> i ^ 4);
  private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(S, i -> i ^ 2);
  private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromOp(S, i -> i ^ 1);

  private FloatSimd256() {}

  /** The lanes of {@code v} summed in the fixed order of the lane exchanges above (small: C2 inlines it into the dot products). */
  private static float foldLanes(FloatVector v) {
    v = v.add(v.rearrange(SWAP_4));
    v = v.add(v.rearrange(SWAP_2));
    v = v.add(v.rearrange(SWAP_1));
    return v.lane(0);
  }

  /** a[aOff..aOff+n) · b[bOff..bOff+n): lane-wise FMA accumulators, one reduction, scalar tail. */
  static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
    int L = S.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromArray(S, a, aOff + i + L).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
    }
    float sum = foldLanes(acc0.add(acc1));
    for (; i < n; i++) sum += a[aOff + i] * b[bOff + i]; // multiply, then add: short rows (small heads) match the scalar loop exactly
    return sum;
  }

  /** The same as {@link #dot} with {@code a} an F32 row in a memory segment. */
  static float dotSegment(MemorySegment a, long aOff, float[] b, int bOff, int n) {
    int L = S.length();
    int upper = n - n % (2 * L);
    FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
    int i = 0;
    for (; i < upper; i += 2 * L) {
      acc0 = FloatVector.fromMemorySegment(S, a, aOff + 4L * i, ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
      acc1 = FloatVector.fromMemorySegment(S, a, aOff + 4L * (i + L), ByteOrder.LITTLE_ENDIAN).fma(FloatVector.fromArray(S, b, bOff + i + L), acc1);
    }
    float sum = foldLanes(acc0.add(acc1));
    for (; i < n; i++) sum += a.get(F32, aOff + 4L * i) * b[bOff + i];
    return sum;
  }

  /** y[yOff..) += a * x[xOff..): a multiply then an add per element, bit-identical to the scalar loop. */
  static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    int upper = S.loopBound(n);
    int i = 0;
    FloatVector av = FloatVector.broadcast(S, a);
    for (; i < upper; i += S.length()) {
      FloatVector.fromArray(S, x, xOff + i).mul(av).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) y[yOff + i] += a * x[xOff + i];
  }

  /**
   * Rows [from, to) of {@code w} times {@code rows} activation rows {@code x[t*xStride ..]};
   * writes {@code out[t*outStride + r + outOff]}. Each weight row is dequantized once for all rows.
   */
  static void matmul(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int rows, float[] out, int outOff, int outStride, float[] scratch) {
    for (int r = from; r < to; r++) {
      long base = r * rowBytes;
      if (type == GgmlType.F32) {
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dotSegment(w, base, x, t * xStride, cols);
      } else {
        Dequantize.row(type, w, base, scratch, 0, cols);
        for (int t = 0; t < rows; t++) out[t * outStride + outOff + r] = dot(scratch, 0, x, t * xStride, cols);
      }
    }
  }

  /**
   * Prefill GEMM: rows [from, to) of {@code w} times {@code n} activation rows
   * {@code x[t*xStride ..]}, writing {@code out[t*outStride + r]}. {@link #GEMM_ROWS} weight rows
   * at a time are dequantized into {@code panel} (at least {@code GEMM_ROWS * cols} floats;
   * bit-identical to {@link Dequantize#row}), then a 4 x 4 register tile (four weight rows times
   * four activation rows, sixteen accumulators) runs along the row: per step, four weight and four
   * activation loads feed sixteen FMAs, so the loop is bound by FMA throughput rather than by loads.
   * The float summation order is the tile's own (lanes, then one reduction), not the decode
   * kernels' order: results agree with them to rounding, not bit for bit.
   */
  static void gemm(GgmlType type, MemorySegment w, long rowBytes, int cols, int from, int to,
      float[] x, int xStride, int n, float[] out, int outStride, float[] panel, boolean narrowTile) {
    int r = from;
    for (; r + GEMM_ROWS <= to; r += GEMM_ROWS) {
      for (int i = 0; i < GEMM_ROWS; i++) dequantizeRow(type, w, (r + i) * rowBytes, cols, panel, i * cols);
      int t = 0;
      if (narrowTile) {
        for (; t + 2 <= n; t += 2) tile4x2(panel, cols, x, xStride, t, out, outStride, r);
      } else {
        for (; t + 4 <= n; t += 4) tile4x4(panel, cols, x, xStride, t, out, outStride, r);
      }
      for (; t < n; t++) tile4x1(panel, cols, x, t * xStride, out, t * outStride + r);
    }
    for (; r < to; r++) {
      dequantizeRow(type, w, r * rowBytes, cols, panel, 0);
      for (int t = 0; t < n; t++) out[t * outStride + r] = dot(panel, 0, x, t * xStride, cols);
    }
  }

  /**
   * One weight row into {@code dst[off .. off+cols)}, the same values as {@link Dequantize#row}:
   * Q8_0 (2-byte F16 scale d, 32 int8 q) gives {@code q * d}; Q4_0 (d, 16 bytes of nibble pairs)
   * gives {@code ((b & 0xF) - 8) * d} for element j and {@code ((b >> 4) - 8) * d} for element
   * j + 16 of byte j. Other types use the scalar reference.
   */
  static void dequantizeRow(GgmlType type, MemorySegment w, long base, int cols, float[] dst, int off) {
    switch (type) {
      case Q8_0 -> {
        for (int b = 0; b < cols / 32; b++) {
          long p = base + 34L * b;
          float d = Float.float16ToFloat(w.get(I16, p));
          for (int j = 0; j < 32; j += B.length()) q8Chunk(w, p + 2 + j, d, dst, off + 32 * b + j);
        }
      }
      case Q4_0 -> {
        for (int b = 0; b < cols / 32; b++) {
          long p = base + 18L * b;
          float d = Float.float16ToFloat(w.get(I16, p));
          for (int j = 0; j < 16; j += B.length()) q4Chunk(w, p + 2 + j, d, dst, off + 32 * b + j);
        }
      }
      case F32 -> MemorySegment.copy(w, F32, base, dst, off, cols);
      default -> Dequantize.row(type, w, base, dst, off, cols);
    }
  }

  /*
   * One byte load each, widened to float and scaled. No vector lives across a loop here (the
   * callers pass addresses and a scalar scale): a vector value carried around a loop C2 does not
   * unroll gets boxed on the heap.
   */

  /** {@code B.length()} Q8_0 quants at {@code p} times {@code d} into {@code dst[o ..]}. */
  private static void q8Chunk(MemorySegment w, long p, float d, float[] dst, int o) {
    ByteVector q = ByteVector.fromMemorySegment(B, w, p, ByteOrder.LITTLE_ENDIAN);
    ((FloatVector) q.convertShape(VectorOperators.B2F, S, 0)).mul(d).intoArray(dst, o);
    if (PARTS == 2) ((FloatVector) q.convertShape(VectorOperators.B2F, S, 1)).mul(d).intoArray(dst, o + S.length());
  }

  /** {@code B.length()} Q4_0 bytes at {@code p}: low nibbles (minus 8) times {@code d} to {@code dst[o ..]}, high nibbles to {@code dst[o + 16 ..]}. */
  private static void q4Chunk(MemorySegment w, long p, float d, float[] dst, int o) {
    ByteVector q = ByteVector.fromMemorySegment(B, w, p, ByteOrder.LITTLE_ENDIAN);
    // Nibbles are split after widening to int lanes: x86 has no byte shift, and C2 boxes one.
    IntVector x = (IntVector) q.convertShape(VectorOperators.B2I, I, 0);
    ((FloatVector) x.and(0x0F).sub(8).convertShape(VectorOperators.I2F, S, 0)).mul(d).intoArray(dst, o);
    ((FloatVector) x.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convertShape(VectorOperators.I2F, S, 0)).mul(d).intoArray(dst, o + 16);
    if (PARTS == 2) {
      IntVector y = (IntVector) q.convertShape(VectorOperators.B2I, I, 1);
      ((FloatVector) y.and(0x0F).sub(8).convertShape(VectorOperators.I2F, S, 0)).mul(d).intoArray(dst, o + S.length());
      ((FloatVector) y.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convertShape(VectorOperators.I2F, S, 0)).mul(d).intoArray(dst, o + 16 + S.length());
    }
  }


  /** Panel rows 0..3 times activation rows t0..t0+3: sixteen accumulators, written out by hand (vectors kept in locals are not boxed). */
  private static void tile4x4(float[] pn, int cols, float[] x, int xStride, int t0, float[] out, int outStride, int r0) {
    int L = S.length();
    int upper = cols - cols % L;
    int w0 = 0, w1 = cols, w2 = 2 * cols, w3 = 3 * cols;
    int x0 = t0 * xStride, x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    for (int i = 0; i < upper; i += L) {
      FloatVector a0 = FloatVector.fromArray(S, pn, w0 + i);
      FloatVector a1 = FloatVector.fromArray(S, pn, w1 + i);
      FloatVector a2 = FloatVector.fromArray(S, pn, w2 + i);
      FloatVector a3 = FloatVector.fromArray(S, pn, w3 + i);
      FloatVector b = FloatVector.fromArray(S, x, x0 + i);
      c00 = a0.fma(b, c00);
      c10 = a1.fma(b, c10);
      c20 = a2.fma(b, c20);
      c30 = a3.fma(b, c30);
      b = FloatVector.fromArray(S, x, x1 + i);
      c01 = a0.fma(b, c01);
      c11 = a1.fma(b, c11);
      c21 = a2.fma(b, c21);
      c31 = a3.fma(b, c31);
      b = FloatVector.fromArray(S, x, x2 + i);
      c02 = a0.fma(b, c02);
      c12 = a1.fma(b, c12);
      c22 = a2.fma(b, c22);
      c32 = a3.fma(b, c32);
      b = FloatVector.fromArray(S, x, x3 + i);
      c03 = a0.fma(b, c03);
      c13 = a1.fma(b, c13);
      c23 = a2.fma(b, c23);
      c33 = a3.fma(b, c33);
    }
    int o0 = t0 * outStride + r0, o1 = o0 + outStride, o2 = o1 + outStride, o3 = o2 + outStride;
    out[o0] = c00.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x0, upper, cols);
    out[o0 + 1] = c10.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x0, upper, cols);
    out[o0 + 2] = c20.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x0, upper, cols);
    out[o0 + 3] = c30.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x0, upper, cols);
    out[o1] = c01.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x1, upper, cols);
    out[o1 + 1] = c11.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x1, upper, cols);
    out[o1 + 2] = c21.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x1, upper, cols);
    out[o1 + 3] = c31.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x1, upper, cols);
    out[o2] = c02.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x2, upper, cols);
    out[o2 + 1] = c12.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x2, upper, cols);
    out[o2 + 2] = c22.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x2, upper, cols);
    out[o2 + 3] = c32.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x2, upper, cols);
    out[o3] = c03.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x3, upper, cols);
    out[o3 + 1] = c13.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x3, upper, cols);
    out[o3 + 2] = c23.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x3, upper, cols);
    out[o3 + 3] = c33.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x3, upper, cols);
  }

  /**
   * Panel rows 0..3 times activation rows t0, t0+1: eight accumulators, for CPUs with 16 vector
   * registers (x86 without AVX-512), where {@link #tile4x4}'s sixteen accumulators plus its operands
   * do not fit and spill to the stack every step. Each output's lanes see the operations of
   * {@link #tile4x4} in the same order; the final {@code reduceLanes} order is the JIT's (it may
   * differ between interpreted and compiled code), so the two agree to rounding.
   */
  private static void tile4x2(float[] pn, int cols, float[] x, int xStride, int t0, float[] out, int outStride, int r0) {
    int L = S.length();
    int upper = cols - cols % L;
    int w0 = 0, w1 = cols, w2 = 2 * cols, w3 = 3 * cols;
    int x0 = t0 * xStride, x1 = x0 + xStride;
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
    FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int i = 0; i < upper; i += L) {
      FloatVector b0 = FloatVector.fromArray(S, x, x0 + i);
      FloatVector b1 = FloatVector.fromArray(S, x, x1 + i);
      FloatVector a = FloatVector.fromArray(S, pn, w0 + i);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.fromArray(S, pn, w1 + i);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.fromArray(S, pn, w2 + i);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.fromArray(S, pn, w3 + i);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
    }
    int o0 = t0 * outStride + r0, o1 = o0 + outStride;
    out[o0] = c00.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x0, upper, cols);
    out[o0 + 1] = c10.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x0, upper, cols);
    out[o0 + 2] = c20.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x0, upper, cols);
    out[o0 + 3] = c30.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x0, upper, cols);
    out[o1] = c01.reduceLanes(VectorOperators.ADD) + tail(pn, w0, x, x1, upper, cols);
    out[o1 + 1] = c11.reduceLanes(VectorOperators.ADD) + tail(pn, w1, x, x1, upper, cols);
    out[o1 + 2] = c21.reduceLanes(VectorOperators.ADD) + tail(pn, w2, x, x1, upper, cols);
    out[o1 + 3] = c31.reduceLanes(VectorOperators.ADD) + tail(pn, w3, x, x1, upper, cols);
  }

  /** Panel rows 0..3 times one activation row at {@code xo}; writes {@code out[oo .. oo+3]}. */
  private static void tile4x1(float[] pn, int cols, float[] x, int xo, float[] out, int oo) {
    int L = S.length();
    int upper = cols - cols % L;
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
    for (int i = 0; i < upper; i += L) {
      FloatVector b = FloatVector.fromArray(S, x, xo + i);
      c0 = FloatVector.fromArray(S, pn, i).fma(b, c0);
      c1 = FloatVector.fromArray(S, pn, cols + i).fma(b, c1);
      c2 = FloatVector.fromArray(S, pn, 2 * cols + i).fma(b, c2);
      c3 = FloatVector.fromArray(S, pn, 3 * cols + i).fma(b, c3);
    }
    out[oo] = c0.reduceLanes(VectorOperators.ADD) + tail(pn, 0, x, xo, upper, cols);
    out[oo + 1] = c1.reduceLanes(VectorOperators.ADD) + tail(pn, cols, x, xo, upper, cols);
    out[oo + 2] = c2.reduceLanes(VectorOperators.ADD) + tail(pn, 2 * cols, x, xo, upper, cols);
    out[oo + 3] = c3.reduceLanes(VectorOperators.ADD) + tail(pn, 3 * cols, x, xo, upper, cols);
  }

  /** The elements past the last full vector, [from, cols), in scalar code. */
  private static float tail(float[] pn, int po, float[] x, int xo, int from, int cols) {
    float s = 0f;
    for (int i = from; i < cols; i++) s += pn[po + i] * x[xo + i];
    return s;
  }

  /** True when {@link #q8Lanes} handles two weight rows at once (enough registers for 16 accumulators). */
  private static final boolean ROW_PAIRS = S.length() >= 16;

  /**
   * Q8_0/Q4_0 weights times Q8_0 activations for prefill, bit-identical to the decode kernels
   * ({@code Tensor.dotQ8}, ggml's AVX2 order) with the activation rows (tokens) in the vector
   * lanes. ggml keeps, per (weight row, token), eight float accumulators, one per group of four
   * consecutive elements of a block: {@code acc_k = fma(d_w * d_x, sum of the group's four integer
   * products, acc_k)}, block after block, then {@code hsum_float_8}. Here lane {@code t} of vector
   * {@code a_k} is that {@code acc_k} for token {@code t}: the weights are dequantized to their
   * integer values (Q8_0: q, Q4_0: nibble - 8) once per row and broadcast, the activations come
   * transposed ({@code Q8Batch#transposeTokens}: {@code xt[e * L + lane]} = quant e of token lane,
   * {@code dxt[b * L + lane]} = its block scale), and every group sum is an exact integer in float
   * (at most 4 * 128 * 127 in magnitude), so any summation order within a group gives the same value.
   * Weight rows go two at a time where 32 registers hold the 16 accumulators (256 bits).
   *
   * <p>{@code panel} (one per thread) holds at least {@code 4 * cols} floats: two integer-valued
   * rows, their block scales, and room to spill one result vector.
   */
  static void q8Lanes(boolean q4, MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    int L = S.length();
    int blocks = cols >> 5;
    int groupXt = x.maxCols * L;
    int groupD = x.blocksPerRow * L;
    int r = from;
    if (ROW_PAIRS) {
      for (; r + 2 <= to; r += 2) {
        integerRow(q4, w, r * rowBytes, blocks, panel, 0, 2 * cols);
        integerRow(q4, w, (r + 1) * rowBytes, blocks, panel, cols, 2 * cols + blocks);
        for (int t0 = 0; t0 < tokens; t0 += L) {
          int g = t0 / L;
          lanesPair(panel, cols, x.xt, g * groupXt, x.dxt, g * groupD, Math.min(L, tokens - t0), out, t0, outStride, r);
        }
      }
    }
    for (; r < to; r++) {
      integerRow(q4, w, r * rowBytes, blocks, panel, 0, 2 * cols);
      for (int t0 = 0; t0 < tokens; t0 += L) {
        int g = t0 / L;
        lanesOne(panel, cols, x.xt, g * groupXt, x.dxt, g * groupD, Math.min(L, tokens - t0), out, t0, outStride, r);
      }
    }
  }

  /**
   * Q4_0 rows in the order of ggml's repacked Q4_0 kernel ({@code Q4Repacked}, used by the exact
   * llama.cpp mode): per (row, token) one float accumulator, {@code acc = fma(block's integer dot
   * product, d_w * d_x, acc)} block after block. Tokens in the lanes as in {@link #q8Lanes}; a
   * block's integer sum (at most 32 * 8 * 127 in magnitude) is exact in float in any order.
   */
  static void q4RepackedLanes(MemorySegment w, long rowBytes, int cols, int from, int to,
      Q8Batch x, int tokens, float[] out, int outStride, float[] panel) {
    int L = S.length();
    int blocks = cols >> 5;
    int groupXt = x.maxCols * L;
    int groupD = x.blocksPerRow * L;
    for (int r = from; r < to; r++) {
      integerRow(true, w, r * rowBytes, blocks, panel, 0, 2 * cols);
      for (int t0 = 0; t0 < tokens; t0 += L) {
        int g = t0 / L;
        lanesRepacked(panel, cols, x.xt, g * groupXt, x.dxt, g * groupD, Math.min(L, tokens - t0), out, t0, outStride, r);
      }
    }
  }

  /** One integer-valued row (panel row 0, scales at {@code 2 * cols}) times a token group, repacked order. */
  private static void lanesRepacked(float[] pn, int cols, float[] xt, int xo, float[] dxt, int dxo, int n, float[] out, int t0, int outStride, int r0) {
    int L = S.length();
    int blocks = cols >> 5;
    int s0 = 2 * cols;
    int tmp = 2 * cols + 2 * blocks;
    FloatVector acc = FloatVector.zero(S);
    for (int b = 0; b < blocks; b++) {
      int e = b * 32;
      FloatVector sum = FloatVector.fromArray(S, xt, xo + e * L).mul(pn[e]);
      sum = FloatVector.fromArray(S, xt, xo + (e + 1) * L).fma(FloatVector.broadcast(S, pn[e + 1]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 2) * L).fma(FloatVector.broadcast(S, pn[e + 2]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 3) * L).fma(FloatVector.broadcast(S, pn[e + 3]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 4) * L).fma(FloatVector.broadcast(S, pn[e + 4]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 5) * L).fma(FloatVector.broadcast(S, pn[e + 5]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 6) * L).fma(FloatVector.broadcast(S, pn[e + 6]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 7) * L).fma(FloatVector.broadcast(S, pn[e + 7]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 8) * L).fma(FloatVector.broadcast(S, pn[e + 8]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 9) * L).fma(FloatVector.broadcast(S, pn[e + 9]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 10) * L).fma(FloatVector.broadcast(S, pn[e + 10]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 11) * L).fma(FloatVector.broadcast(S, pn[e + 11]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 12) * L).fma(FloatVector.broadcast(S, pn[e + 12]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 13) * L).fma(FloatVector.broadcast(S, pn[e + 13]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 14) * L).fma(FloatVector.broadcast(S, pn[e + 14]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 15) * L).fma(FloatVector.broadcast(S, pn[e + 15]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 16) * L).fma(FloatVector.broadcast(S, pn[e + 16]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 17) * L).fma(FloatVector.broadcast(S, pn[e + 17]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 18) * L).fma(FloatVector.broadcast(S, pn[e + 18]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 19) * L).fma(FloatVector.broadcast(S, pn[e + 19]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 20) * L).fma(FloatVector.broadcast(S, pn[e + 20]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 21) * L).fma(FloatVector.broadcast(S, pn[e + 21]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 22) * L).fma(FloatVector.broadcast(S, pn[e + 22]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 23) * L).fma(FloatVector.broadcast(S, pn[e + 23]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 24) * L).fma(FloatVector.broadcast(S, pn[e + 24]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 25) * L).fma(FloatVector.broadcast(S, pn[e + 25]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 26) * L).fma(FloatVector.broadcast(S, pn[e + 26]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 27) * L).fma(FloatVector.broadcast(S, pn[e + 27]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 28) * L).fma(FloatVector.broadcast(S, pn[e + 28]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 29) * L).fma(FloatVector.broadcast(S, pn[e + 29]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 30) * L).fma(FloatVector.broadcast(S, pn[e + 30]), sum);
      sum = FloatVector.fromArray(S, xt, xo + (e + 31) * L).fma(FloatVector.broadcast(S, pn[e + 31]), sum);
      // d = d_w * d_x per token (a commutative float product), then fma(isum, d, acc) as ggml.
      acc = sum.fma(FloatVector.fromArray(S, dxt, dxo + b * L).mul(pn[s0 + b]), acc);
    }
    acc.intoArray(pn, tmp);
    for (int lane = 0; lane < n; lane++) out[(t0 + lane) * outStride + r0] = pn[tmp + lane];
  }

  /** A Q8_0/Q4_0 row's quants as integer-valued floats into {@code dst[off ..]}, its F16 block scales as floats into {@code dst[sOff ..]}. */
  private static void integerRow(boolean q4, MemorySegment w, long base, int blocks, float[] dst, int off, int sOff) {
    if (q4) {
      for (int b = 0; b < blocks; b++) {
        long p = base + 18L * b;
        dst[sOff + b] = Float.float16ToFloat(w.get(I16, p));
        for (int j = 0; j < 16; j += B.length()) q4Chunk(w, p + 2 + j, 1f, dst, off + 32 * b + j);
      }
    } else {
      for (int b = 0; b < blocks; b++) {
        long p = base + 34L * b;
        dst[sOff + b] = Float.float16ToFloat(w.get(I16, p));
        for (int j = 0; j < 32; j += B.length()) q8Chunk(w, p + 2 + j, 1f, dst, off + 32 * b + j);
      }
    }
  }

  /** Two weight rows (panel rows from 0) times the token group at {@code xo}; see {@link #q8Lanes}. */
  private static void lanesPair(float[] pn, int cols, float[] xt, int xo, float[] dxt, int dxo, int n, float[] out, int t0, int outStride, int r0) {
    int L = S.length();
    int blocks = cols >> 5;
    int s0 = 2 * cols, s1 = 2 * cols + 1 * blocks;
    int w0 = 0, w1 = 1 * cols;
    int tmp = 2 * cols + 2 * blocks;
    FloatVector z = FloatVector.zero(S);
    FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a06 = z, a07 = z;
    FloatVector a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a16 = z, a17 = z;
    for (int b = 0; b < blocks; b++) {
      // Declared inside the loop: vectors carried around a loop are what C2 ends up boxing.
      FloatVector x0, x1, x2, x3, p;
      FloatVector dx = FloatVector.fromArray(S, dxt, dxo + b * L);
      // d = d_w * d_x per token, as ggml's (commutative) float product.
      FloatVector sc0 = dx.mul(pn[s0 + b]);
      FloatVector sc1 = dx.mul(pn[s1 + b]);
      int e = b * 32;
      x0 = FloatVector.fromArray(S, xt, xo + (e) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 3) * L);
      p = x0.mul(pn[w0 + e]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 3]), p);
      a00 = sc0.fma(p, a00);
      p = x0.mul(pn[w1 + e]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 3]), p);
      a10 = sc1.fma(p, a10);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 4) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 4 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 4 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 4 + 3) * L);
      p = x0.mul(pn[w0 + e + 4]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 3]), p);
      a01 = sc0.fma(p, a01);
      p = x0.mul(pn[w1 + e + 4]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 4 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 4 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 4 + 3]), p);
      a11 = sc1.fma(p, a11);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 8) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 8 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 8 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 8 + 3) * L);
      p = x0.mul(pn[w0 + e + 8]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 3]), p);
      a02 = sc0.fma(p, a02);
      p = x0.mul(pn[w1 + e + 8]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 8 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 8 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 8 + 3]), p);
      a12 = sc1.fma(p, a12);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 12) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 12 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 12 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 12 + 3) * L);
      p = x0.mul(pn[w0 + e + 12]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 3]), p);
      a03 = sc0.fma(p, a03);
      p = x0.mul(pn[w1 + e + 12]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 12 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 12 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 12 + 3]), p);
      a13 = sc1.fma(p, a13);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 16) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 16 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 16 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 16 + 3) * L);
      p = x0.mul(pn[w0 + e + 16]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 3]), p);
      a04 = sc0.fma(p, a04);
      p = x0.mul(pn[w1 + e + 16]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 16 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 16 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 16 + 3]), p);
      a14 = sc1.fma(p, a14);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 20) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 20 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 20 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 20 + 3) * L);
      p = x0.mul(pn[w0 + e + 20]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 3]), p);
      a05 = sc0.fma(p, a05);
      p = x0.mul(pn[w1 + e + 20]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 20 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 20 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 20 + 3]), p);
      a15 = sc1.fma(p, a15);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 24) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 24 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 24 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 24 + 3) * L);
      p = x0.mul(pn[w0 + e + 24]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 3]), p);
      a06 = sc0.fma(p, a06);
      p = x0.mul(pn[w1 + e + 24]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 24 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 24 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 24 + 3]), p);
      a16 = sc1.fma(p, a16);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 28) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 28 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 28 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 28 + 3) * L);
      p = x0.mul(pn[w0 + e + 28]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 3]), p);
      a07 = sc0.fma(p, a07);
      p = x0.mul(pn[w1 + e + 28]);
      p = x1.fma(FloatVector.broadcast(S, pn[w1 + e + 28 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w1 + e + 28 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w1 + e + 28 + 3]), p);
      a17 = sc1.fma(p, a17);
    }
    // ggml's hsum_float_8 over the eight group accumulators, lane by lane.
    a00.add(a04).add(a02.add(a06)).add(a01.add(a05).add(a03.add(a07))).intoArray(pn, tmp);
    for (int lane = 0; lane < n; lane++) out[(t0 + lane) * outStride + r0 + 0] = pn[tmp + lane];
    // ggml's hsum_float_8 over the eight group accumulators, lane by lane.
    a10.add(a14).add(a12.add(a16)).add(a11.add(a15).add(a13.add(a17))).intoArray(pn, tmp);
    for (int lane = 0; lane < n; lane++) out[(t0 + lane) * outStride + r0 + 1] = pn[tmp + lane];
  }

  /** One weight row (panel rows from 0) times the token group at {@code xo}; see {@link #q8Lanes}. */
  private static void lanesOne(float[] pn, int cols, float[] xt, int xo, float[] dxt, int dxo, int n, float[] out, int t0, int outStride, int r0) {
    int L = S.length();
    int blocks = cols >> 5;
    int s0 = 2 * cols;
    int w0 = 0;
    int tmp = 2 * cols + 2 * blocks;
    FloatVector z = FloatVector.zero(S);
    FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a06 = z, a07 = z;
    for (int b = 0; b < blocks; b++) {
      // Declared inside the loop: vectors carried around a loop are what C2 ends up boxing.
      FloatVector x0, x1, x2, x3, p;
      FloatVector dx = FloatVector.fromArray(S, dxt, dxo + b * L);
      // d = d_w * d_x per token, as ggml's (commutative) float product.
      FloatVector sc0 = dx.mul(pn[s0 + b]);
      int e = b * 32;
      x0 = FloatVector.fromArray(S, xt, xo + (e) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 3) * L);
      p = x0.mul(pn[w0 + e]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 3]), p);
      a00 = sc0.fma(p, a00);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 4) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 4 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 4 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 4 + 3) * L);
      p = x0.mul(pn[w0 + e + 4]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 4 + 3]), p);
      a01 = sc0.fma(p, a01);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 8) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 8 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 8 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 8 + 3) * L);
      p = x0.mul(pn[w0 + e + 8]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 8 + 3]), p);
      a02 = sc0.fma(p, a02);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 12) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 12 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 12 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 12 + 3) * L);
      p = x0.mul(pn[w0 + e + 12]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 12 + 3]), p);
      a03 = sc0.fma(p, a03);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 16) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 16 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 16 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 16 + 3) * L);
      p = x0.mul(pn[w0 + e + 16]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 16 + 3]), p);
      a04 = sc0.fma(p, a04);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 20) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 20 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 20 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 20 + 3) * L);
      p = x0.mul(pn[w0 + e + 20]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 20 + 3]), p);
      a05 = sc0.fma(p, a05);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 24) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 24 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 24 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 24 + 3) * L);
      p = x0.mul(pn[w0 + e + 24]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 24 + 3]), p);
      a06 = sc0.fma(p, a06);
      x0 = FloatVector.fromArray(S, xt, xo + (e + 28) * L);
      x1 = FloatVector.fromArray(S, xt, xo + (e + 28 + 1) * L);
      x2 = FloatVector.fromArray(S, xt, xo + (e + 28 + 2) * L);
      x3 = FloatVector.fromArray(S, xt, xo + (e + 28 + 3) * L);
      p = x0.mul(pn[w0 + e + 28]);
      p = x1.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 1]), p);
      p = x2.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 2]), p);
      p = x3.fma(FloatVector.broadcast(S, pn[w0 + e + 28 + 3]), p);
      a07 = sc0.fma(p, a07);
    }
    // ggml's hsum_float_8 over the eight group accumulators, lane by lane.
    a00.add(a04).add(a02.add(a06)).add(a01.add(a05).add(a03.add(a07))).intoArray(pn, tmp);
    for (int lane = 0; lane < n; lane++) out[(t0 + lane) * outStride + r0 + 0] = pn[tmp + lane];
  }
}
