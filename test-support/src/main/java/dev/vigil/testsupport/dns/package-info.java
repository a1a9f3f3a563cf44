/**
 * DNS servers on loopback for tests: {@link dev.vigil.testsupport.dns.ScriptedDnsServer} resolves
 * names for probes that look their target up (known names resolve, others are NXDOMAIN);
 * {@link dev.vigil.testsupport.dns.ScriptedDnsTarget} is the target of DNS probes, over UDP and TCP,
 * and answers as scripted, well or on purpose badly.
 */
package dev.vigil.testsupport.dns;
