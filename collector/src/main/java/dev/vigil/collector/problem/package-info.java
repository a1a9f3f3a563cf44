/**
 * Problems: the causes behind recurring outages. A problem opens when one subject (a catalogue service,
 * or a check location in no service) has {@code count} outage incidents starting within {@code within};
 * later outages of that subject join it until someone closes it with a root cause.
 *
 * <p>Problems are not stored: {@link dev.vigil.collector.problem.ProblemDetector} recomputes them from the
 * incident book's outage incidents, ordered by start time, so they come out the same after every restart
 * and replay. Only what people add, the closures, is stored ({@code <data_dir>/problems.json}). A closure
 * ends its problem at the closing time: outages starting later are free to form the next run, which opens
 * a new problem.
 */
package dev.vigil.collector.problem;
