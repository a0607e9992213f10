/*
 * mona's MKL dispatch shim, compiled and loaded by core's dev.mona.core.engine.MklDispatch before libtorch starts.
 *
 * The oneMKL inside libtorch picks its matrix-product kernels by processor vendor first: on a processor that does
 * not identify as Intel it takes a 256-bit (AVX2) code path even where the processor has AVX-512. MKL asks its own
 * exported function mkl_serv_intel_cpu_true() and libtorch binds that call lazily through its procedure linkage
 * table, so a definition loaded into the process's global symbol scope first answers instead. Answering 1 lets MKL
 * choose its kernels from the processor's instruction-set flags alone, as it does on Intel processors.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
