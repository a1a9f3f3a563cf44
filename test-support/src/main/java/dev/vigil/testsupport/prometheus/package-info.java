/**
 * The real Prometheus tools as test peers: {@code promtool} from Debian's {@code prometheus} package,
 * which {@code ./vigil test} installs. A test that needs it fails when it is missing rather than
 * passing without having checked anything.
 */
package dev.vigil.testsupport.prometheus;
