/* STREAM-style triad for comparing with `edgeai doctor`: 3 arrays of N doubles (40 M = 320 MB
   each, far beyond the L3), best of NTIMES after the first, bytes counted as 3 * 8 * N.
   Build and run: gcc -O2 -fopenmp stream-triad.c -o triad && OMP_NUM_THREADS=1 ./triad */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>
#define N 40000000L
#define NTIMES 10
static double a[N], b[N], c[N];
int main(void) {
  #pragma omp parallel for
  for (long i = 0; i < N; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
  double best = 1e30, s = 3.0;
  for (int k = 0; k < NTIMES; k++) {
    double t = omp_get_wtime();
    #pragma omp parallel for
    for (long i = 0; i < N; i++) a[i] = b[i] + s * c[i];
    t = omp_get_wtime() - t;
    if (k > 0 && t < best) best = t;
  }
  printf("threads=%d triad best %.4f s  %.1f GB/s (check a[7]=%g)\n", omp_get_max_threads(), best, 3.0 * 8 * N / best / 1e9, a[7]);
  return 0;
}
