/**
 * Benchmarks that put Sotto side by side with its peers. {@link org.sotto.bench.ProtocolBench}
 * measures the protocol in process with the same figures and rules as {@code
 * bench/peer-libsignal/bench.mjs} (see {@code bench/README.md}); {@code bench/run protocol} runs
 * both and prints the comparison.
 */
package org.sotto.bench;
