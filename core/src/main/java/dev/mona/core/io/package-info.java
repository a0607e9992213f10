/**
 * Model I/O: a memory-mapped safetensors reader ({@link dev.mona.core.io.SafetensorsFile}: F32, F16, BF16, F64,
 * I64, I32, U8, BOOL; files over 2 GB), a writer compatible with the reference library
 * ({@link dev.mona.core.io.SafetensorsWriter}: header padded to 8 bytes with spaces, {@code __metadata__}),
 * loading into a model's parameters with strict name checking ({@link dev.mona.core.io.ParamsIO}), and atomic
 * file replacement ({@link dev.mona.core.io.AtomicFiles}).
 */
package dev.mona.core.io;
