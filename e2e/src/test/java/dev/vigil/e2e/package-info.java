/**
 * End-to-end tests: the real collector and agent jars run as processes against loopback targets,
 * and are killed with SIGKILL where a test says so; where a test needs to stop and start them many
 * times and look inside (the assignment test), both run in the test's JVM.
 */
package dev.vigil.e2e;
