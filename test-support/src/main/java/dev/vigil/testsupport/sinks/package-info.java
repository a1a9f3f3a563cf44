/**
 * Loopback stand-ins for the tools incidents are sent to, one class per tool, each answering as the real
 * API does: its success and error statuses and bodies, its authentication and deduplication rules, rate
 * limiting with {@code 429} and {@code Retry-After}. Sink tests assert what the tool would have seen.
 * {@link dev.vigil.testsupport.sinks.ReceivedJson} reads their request bodies and writes their answers;
 * {@code ReceiverServer} carries each one's HTTP exchanges on 127.0.0.1, and {@code ScriptedFailures} holds
 * the failures a test scripts for the next requests.
 */
package dev.vigil.testsupport.sinks;
