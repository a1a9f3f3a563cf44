/**
 * The real Prometheus tools as test peers: {@code promtool} from Debian's {@code prometheus} package and
 * {@code prometheus-alertmanager} from its {@code prometheus-alertmanager} package, both of which
 * {@code ./vigil test} installs. A test that needs promtool fails when it is missing rather than passing
 * without having checked anything; the tests against the real Alertmanager are skipped, with a message
 * saying so, since the Alertmanager sink has its semantic test against a receiver as well.
 */
package dev.vigil.testsupport.prometheus;
