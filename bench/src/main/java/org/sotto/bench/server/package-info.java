/**
 * {@code bench/run server}: the relay benchmark. {@link org.sotto.bench.server.ServerBench} starts
 * a real Sotto server process, drives it as its clients would (HTTP sends, delivery WebSockets with
 * acks) and drives Redis pub/sub with the same load as the baseline; {@link
 * org.sotto.bench.server.IdleHolder} processes hold the idle WebSockets of {@code
 * idle_connections}. See {@code bench/README.md}.
 */
package org.sotto.bench.server;
