/**
 * The service catalogue: which services the provider offers, to whom, against which SLA, over which
 * service hours, with which planned maintenance, and which checks (run by which agents, with which
 * quorum) tell whether a service is up.
 *
 * <p><strong>Two layers.</strong> Items come from {@code collector.yaml} (sections {@code calendars:},
 * {@code slas:}, {@code suppliers:}, {@code services:}, {@code maintenance:}) or from the REST API.
 * Suppliers come from the file only: the API's services may name them, but not declare them. The file's items are
 * read-only through the API (409 naming the file); the file is self-contained, so its items refer only
 * to each other. The API's items may refer to both and are persisted in {@code <data_dir>/catalogue.json}
 * with the same fields, reloaded at start. A name the file defines wins over the API's copy.
 * {@link dev.vigil.collector.catalogue.Catalogue} merges both layers into one immutable, validated value
 * with a {@code version} that grows with every change.
 *
 * <p><strong>One reader for three sources.</strong> The YAML file, API request bodies and the overlay
 * file are read by the same readers over {@link dev.vigil.config.ConfigNode}: JSON is written out as
 * YAML-compatible JSON first ({@code CanonicalJson}), so a rule is written once and gives the same
 * message everywhere, with file and line for the files and the field alone for request bodies.
 *
 * <p><strong>Threading.</strong> The {@link dev.vigil.collector.catalogue.CatalogueStore} and the routes
 * live on the collector verticle's event loop, which reads the current catalogue without locks. Changes
 * are applied one at a time; each is written to the overlay off the loop (temporary file, fsync, atomic
 * rename), and only after the write succeeded is the new catalogue published and are the listeners
 * (e.g. the SLA engine) called, on the loop.
 *
 * <p><strong>Maintenance is history.</strong> A window is never deleted: {@code DELETE} ends it (a
 * window that has not begun is thereby cancelled), its past occurrences keep counting, and who created
 * it, why and when stay on record. A recurring window counts from its creation on, so a window added
 * today does not excuse last month's outages; a one-off window counts at the times it names, and its
 * {@code created_at} shows when it was declared.
 */
package dev.vigil.collector.catalogue;
