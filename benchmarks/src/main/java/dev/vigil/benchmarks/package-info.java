/**
 * JMH benchmarks. Every figure is reported beside a baseline measured in the same run, so a reader
 * compares ratios on one machine instead of absolute numbers across machines: the journal append
 * against encoding alone, the whole agent-to-collector pipeline against the same agent shipping to
 * a collector that only acknowledges. Results and how to run them are in {@code benchmarks/README.md}.
 */
package dev.vigil.benchmarks;
