/**
 * Changes: deployments, configuration pushes and other planned work on a catalogue service, recorded
 * through the API (or as PagerDuty-style change events) so that an outage can be set beside what changed
 * just before it.
 *
 * <p>An outage incident is <em>possibly change-induced</em> when a change on its service, or on a service
 * it (transitively) depends on, started within the configured window ({@code changes.induced_window},
 * 30 minutes by default) before the incident started. This is a hint for people, not a verdict: the
 * change is listed beside the incident, and a change counts as successful when no incident followed it
 * within that window.
 *
 * <p>Changes are kept in {@code <data_dir>/changes.json}, rewritten atomically on each new change. They
 * are few (people and pipelines record them, not probes), so the whole list is held in memory.
 */
package dev.vigil.collector.change;
