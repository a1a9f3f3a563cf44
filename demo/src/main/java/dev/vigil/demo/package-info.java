/**
 * The local world of {@code ./vigil demo}: a healthy HTTP service, a TCP service, an HTTP service
 * named {@code flaky-web} that fails for a while every cycle, and a webhook receiver that logs the
 * incidents the collector sends. Everything binds 127.0.0.1 only.
 */
package dev.vigil.demo;
